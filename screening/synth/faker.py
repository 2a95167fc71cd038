"""Names, addresses and towns for the synthetic generator, from one seeded en_GB Faker.

One `FakeSource` is made per generator call (building a Faker takes a noticeable fraction of a
second). Names and street names are drawn once into pools from the seeded Faker and then picked
with the generator's own rng (Faker's weighted picks are too slow to call for every person).
Postcodes (drawn into a pool too) are checked with the contract's `normalise_postcode`; one
that fails is replaced by a generated valid one. Addresses are put together from these pools and
kept, so repeat addresses occur, as they do in real notifications.
"""

from __future__ import annotations

import random
import string

from faker import Faker

from models.contract import normalise_postcode

_NEW_ADDRESS = 0.25  # once the pool is warm, the share of rows that get a new address
_WARM = 300


class FakeSource:
    """Deterministic fake personal details for one seed."""

    def __init__(self, seed: int, rng: random.Random) -> None:
        self._fake = Faker("en_GB")
        self._fake.seed_instance(seed)
        self._rng = rng
        self._addresses: list[dict[str, str]] = []
        fake = self._fake
        self._towns = [fake.city() for _ in range(80)]
        self._female = [fake.first_name_female() for _ in range(700)]
        self._male = [fake.first_name_male() for _ in range(700)]
        self._family = [fake.last_name() for _ in range(1500)]
        self._streets = [fake.street_name() for _ in range(600)]
        self._postcodes = [self._checked_postcode() for _ in range(1200)]

    def given(self, gender: str) -> str:
        return self._rng.choice(self._female if gender == "female" else self._male)

    def family(self) -> str:
        return self._rng.choice(self._family)

    def town(self) -> str:
        return self._rng.choice(self._towns)

    def street(self) -> str:
        return self._rng.choice(self._streets)

    def postcode(self) -> str:
        return self._rng.choice(self._postcodes)

    def _checked_postcode(self) -> str:
        raw = self._fake.postcode()
        try:
            return normalise_postcode(raw)
        except ValueError:
            return self._fallback_postcode()

    def _fallback_postcode(self) -> str:
        rng = self._rng
        area = rng.choice(["LE", "B", "M", "LS", "S", "NG", "HU", "ST", "CF", "NE", "L"])
        inward = f"{rng.randint(0, 9)}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}"
        inward += rng.choice(string.ascii_uppercase.replace("C", "").replace("I", ""))
        return normalise_postcode(f"{area}{rng.randint(1, 20)} {inward}")

    def address(self) -> dict[str, str]:
        """line1, optional line2, town and optional postcode; sometimes one seen before."""
        rng = self._rng
        if len(self._addresses) >= _WARM and rng.random() > _NEW_ADDRESS:
            return dict(rng.choice(self._addresses))
        number = rng.randint(1, 240)
        street = self.street()
        roll = rng.random()
        if roll < 0.15:
            address = {"line1": f"Flat {rng.randint(1, 40)}", "line2": f"{number} {street}"}
        elif roll < 0.3:
            flat = rng.choice(
                [f"Flat {rng.randint(1, 40)}", f"Flat {rng.randint(1, 9)}{'ABC'[rng.randrange(3)]}"]
            )
            address = {"line1": f"{flat}, {number} {street}"}
        elif roll < 0.35:
            address = {"line1": f"{rng.choice(self._family)} House", "line2": f"{number} {street}"}
        else:
            address = {"line1": f"{number} {street}"}
        address["town"] = self.town()
        address["postcode"] = self.postcode()
        self._addresses.append(address)
        return dict(address)
