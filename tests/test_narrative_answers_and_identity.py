"""Questions and their answers, denials of children in general, dead children, and ages given to
a person by another way of naming them: what settles a mention, and what must not."""

import pytest

from tests.narrative_support import blocks_screen_out, finding_summary


@pytest.mark.parametrize(
    "text",
    [
        # a question about children ("asked re", a direct question with the verb first) and its
        # answer: a speaker's "no", a denial of having any
        "Asked re children - IP states 'we don't have children, it's just us and her mother'.",
        "I asked 'any children in the house?' - husband: 'no, none, never have'.",
        'Q "Do you have children or are you a carer for anyone?" - answer "We don\'t have any."',
        "Do you have children? IP: we've never had any.",
        "When asked about children, Alison said 'Not applicable'.",
        "Staff asked about dependants; the patient stated that they have none and live alone.",
        "IP asked if any children: 'God no, we've got two grown up.'",
        "I asked if any children and she laughed and said 'not yet'.",
        "I checked whether any kids: Hayden signed 'no children'.",
        # a denial of risk to, concern for or contact with children in general
        "No risk to children identified - Trevor has no children and no contact with any children.",
        "Neither has any contact with children through work or family.",
        # a child who died, in a dated past
        "Their only son died in 2019.",
        "Couple live alone; their son passed away aged 19.",
        "Argument about their late son's memorial.",
        # a person who is not a party speaking of their own child who saw nothing
        "Neighbour says his young son was asleep and didn't hear a thing.",
        # an adult age given to the person by another name or word
        "IP has a son, Jamie, from an earlier relationship; Jamie is 20 and a student in Galway.",
        "The children he refers to are now 24 and 26 and have their own homes.",
        "Oskar's children (grandkids) are 19 and 21.",
        "IP has one child, a son of 20 who lives in China.",
        "Their 'bairns' are two grown sons of 35 and 38 who crew the boat.",
        "Victim mentioned 'carruurtayda' (my children) - they are 19 and 21 and at university.",
        "IP seen at home. Victim mentioned 'carruurtayda' (my children) - they are 19 and 21.",
        # an age set off after the person's phrase; a relative's children said with "has"
        "DUNN has a stepdaughter from his marriage, now 25.",
        "Relevant persons: Mrs Leeder's son from her first marriage (27) lives in London.",
        "Mrs WEBB's sister has children but they live in Portsmouth and do not stay.",
        # a surname in capitals one letter from a relative's word in another language
        "Subject: Tom AYRES. Relationship of two years.",
        # a likeness or a name called; a pseudonym's number; a form's child section answered
        "Kerry says Lee called her a \"silly child\" in front of customers.",
        "It's like living with a child, honestly, if he doesn't get his way he sulks.",
        "They're like a pair of kids when they've had a drink.",
        "Subject 1 is a first year undergraduate living in university halls.",
        "She was taken to hospital for a CT scan.",
        "The IP is the children's librarian at Brackwell Library.",
        "He shouted you're not fit to teach kids across the pool.",
        "Safeguarding screen: dependants in household — none; dependants elsewhere — none.",
        "Nadia said it happened in front of my kids on the ward - she meant her patients.",
        "Other children linked to either party: No",
        "Voice of the child\n- N/A\nActions\n- advice",
        # a pregnancy word answered by the denial after it: a field's label, a gloss, a test
        "Pregnancy: IP is not currently pregnant.",
        "Beata said 'nie jestem w ciąży' (I'm not pregnant) when he accused her of lying.",
        "She replied 'hamile değilim' — 'I am not pregnant'.",
        "No kids, not hapū (pregnant) - asked.",
        "The lodger's kids live with their mum in Hull.",
        "Neg preg test found in bin was source of argument per IP.",
        "She did a pregnancy test today because she was late and it was negative.",
        # "expecting" with an object that is not a baby
        "She was expecting him home at ten.",
        "IP was expecting a call from her solicitor.",
        "Victim had been expecting them to leave.",
    ],
)
def test_settled(text: str) -> None:
    assert not blocks_screen_out(text), finding_summary(text)


@pytest.mark.parametrize(
    "text",
    [
        # a "no" that goes on to say where the children are: they exist, away
        "Any kids? She said no, they are at school.",
        "Any children present? No, they are at school.",
        "Asked about children she said no, they were at their nan's.",
        # a yes makes the question's mention a statement; no answer leaves it open
        "Have you got any kids? She said yes, two.",
        "Is there a baby in the house? Yes, upstairs.",
        "Asked about kids, she said she doesn't know.",
        "Asked about children, she said none of them were hurt.",
        "Asked about kids, she said no one was hurt.",
        # particular children, not children in general
        "No concerns for the children, who were asleep upstairs.",
        "He has no contact with his children.",
        "No risk to children identified. The children were asleep upstairs.",
        # a death with no date may be this incident
        "The baby died.",
        "Her son died in the fire tonight.",
        # a non-party's child at the scene or living with a party
        "Neighbour said her kids were in the room when he hit IP.",
        "Her friend's kids live with IP.",
        # the other name's age is a child's, or the ages belong to someone else
        "IP has a son, Jamie, from an earlier relationship; Jamie is 12.",
        "The children were upstairs; they are 4 and 6.",
        "The children, a boy of 4 and a girl of 19, were upstairs.",
        "Her son lives with her; they are 40 and 19.",
        # a child of someone who lives at the address without being a party may live there too
        "The lodger's kids were mentioned.",
        # a label or a bracket that does not deny
        "Pregnant: 20 weeks.",
        "She is pregnant (not by S1).",
        "Pregnancy: 20 weeks, not planned.",
        "IP is pregnant, negative for drugs.",
        "She is expecting.",
        "She's expecting in May.",
        "She is expecting her first baby in June.",
        "She is expecting a bbay in May.",
        "She was expecting twins.",
    ],
)
def test_still_blocks(text: str) -> None:
    assert blocks_screen_out(text), finding_summary(text)


def test_children_away_after_an_answer_are_household() -> None:
    found = finding_summary("Any kids? She said no, they are at school.")
    assert ("household", "positive", "children_away") in found
