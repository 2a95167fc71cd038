"""Commands of the heads of safeguarding: policy versions, the what-if history, the models.

`dvscreen policy list|show|propose|approve|reject|whatif`, `dvscreen labels import|sync`,
`dvscreen models list|train|compare|promote|rollback`. Actions name the head of safeguarding
who takes them (`--by USERNAME`); the same rules hold as in the web app: a change needs a
reason, and a second head approves it unless DVSCREEN_SINGLE_APPROVAL=true.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from cli.setup import prepare
from governance.active_model import active_screener, ensure_registry
from governance.lifecycle import compare_models, rows_from_labels, train_candidate
from governance.policy import active_policy, policy_with_changes
from governance.whatif import load_history, name_misses, run_whatif
from governance.whatif_history import import_labelled_file, sync_label_facts
from models.db import session_scope
from models.model_registry import list_models, promote_model, rollback_model
from models.policy_governance import (
    GovernanceError,
    approve_policy,
    get_policy_version,
    list_policy_versions,
    propose_policy,
    reject_policy,
)
from models.staff_store import staff_id_by_name
from models.types import utcnow
from screening.evaluation import format_report
from screening.labelled import LabelledDataError, read_labelled
from screening.policy import Policy

REFUSALS = {
    "reason_required": "a policy change needs a reason (--reason)",
    "not_head": "only an active head of safeguarding may do this",
    "self_approval": "you cannot approve your own change: a second head of safeguarding must",
    "not_found": "there is no such version",
    "not_proposed": "that version is not waiting for approval",
    "not_candidate": "that model is not a candidate",
    "nothing_to_roll_back": "there is no earlier model to roll back to",
    "model_exists": "that model is already registered",
    "conflict": "someone else changed it at the same time; try again",
    "unknown_user": "there is no staff account with that username",
}



def _fail(args: argparse.Namespace, code: str) -> int:
    print(f"dvscreen {args.command}: {REFUSALS.get(code, code)}", file=sys.stderr)
    return 1


def _user(url: str, username: str) -> int:
    with session_scope(url) as session:
        user_id = staff_id_by_name(session, username=username)
    if user_id is None:
        raise GovernanceError("unknown_user")
    return user_id


def _guard(handler: Any) -> Any:
    def run(args: argparse.Namespace) -> int:
        try:
            return int(handler(args))
        except GovernanceError as error:
            return _fail(args, error.code)
        except (ValidationError, ValueError) as error:
            print(f"dvscreen {args.command}: {error}", file=sys.stderr)
            return 2
        except LabelledDataError as error:
            print(f"dvscreen {args.command}: {error}", file=sys.stderr)
            return 1

    return run


# --- policy -------------------------------------------------------------------------------


def _changes(args: argparse.Namespace) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    for name, key in (
        ("screen_out_max", "screen_out_max_score"),
        ("review_min", "review_min_score"),
        ("sample_share", "sample_share"),
    ):
        if getattr(args, name, None) is not None:
            changes[key] = getattr(args, name)
    if getattr(args, "allow_silence", None) is not None:
        changes["allow_silence_screen_out"] = args.allow_silence
    return changes


def cmd_policy_list(args: argparse.Namespace) -> int:
    settings = prepare()
    with session_scope(settings.database) as session:
        rows = list_policy_versions(session)
    for r in rows:
        p = r.policy
        print(
            f"v{r.version}\t{r.status}\tscreen_out_max={p.get('screen_out_max_score')}\t"
            f"review_min={p.get('review_min_score')}\tsilence={p.get('allow_silence_screen_out')}"
            f"\tproposed_by={r.proposed_by_name or '-'}\tapproved_by={r.approved_by_name or '-'}"
            f"\t{r.reason}"
        )
    return 0


def cmd_policy_show(args: argparse.Namespace) -> int:
    settings = prepare()
    with session_scope(settings.database) as session:
        if args.version is None:
            print(active_policy(session).model_dump_json(indent=2))
            return 0
        row = get_policy_version(session, args.version)
    if row is None:
        raise GovernanceError("not_found")
    print(json.dumps(row.policy, indent=2))
    return 0


def cmd_policy_propose(args: argparse.Namespace) -> int:
    settings = prepare()
    user_id = _user(settings.database, args.by)
    with session_scope(settings.database) as session:
        base = active_policy(session)
        if args.file:
            document = json.loads(Path(args.file).read_text())
            base = Policy.model_validate({**document, "version": base.version})
        policy = policy_with_changes(base, _changes(args))
        version = propose_policy(
            session,
            policy=policy.model_dump(mode="json"),
            reason=args.reason,
            proposed_by=user_id,
            now=utcnow(),
        )
    print(version)
    return 0


def cmd_policy_approve(args: argparse.Namespace) -> int:
    settings = prepare()
    user_id = _user(settings.database, args.by)
    single = settings.single_approval
    with session_scope(settings.database) as session:
        approve_policy(
            session, version=args.version, approver=user_id, single_approval=single, now=utcnow()
        )
    print(f"policy version {args.version} is active", file=sys.stderr)
    return 0


def cmd_policy_reject(args: argparse.Namespace) -> int:
    settings = prepare()
    user_id = _user(settings.database, args.by)
    with session_scope(settings.database) as session:
        reject_policy(session, version=args.version, user_id=user_id, now=utcnow())
    return 0


def cmd_policy_whatif(args: argparse.Namespace) -> int:
    """The what-if over the stored labelled history (imports and service labels)."""
    settings = prepare()
    sync_label_facts(settings.database)
    with session_scope(settings.database) as session:
        if args.version is not None:
            row = get_policy_version(session, args.version)
            if row is None:
                raise GovernanceError("not_found")
            base = Policy.model_validate(row.policy)
        else:
            base = active_policy(session)
        history = load_history(session)
        result = run_whatif(history, policy_with_changes(base, _changes(args)))
        name_misses(session, result, history)
    if args.json:
        print(json.dumps(result.as_dict(), indent=2, default=str))
    else:
        print(format_report(result.report))
        print(f"screened out per week: {result.screened_out_per_week:.1f}")
        print(f"triage_check per week: {result.triage_check_per_week:.1f}")
    return 0


# --- labels -------------------------------------------------------------------------------


def cmd_labels_import(args: argparse.Namespace) -> int:
    settings = prepare()
    path = Path(args.data)
    list(read_labelled(path))  # check every line first: nothing is stored from a bad file
    imported = import_labelled_file(settings.database, path)
    if imported.already:
        print(f"{path.name} was imported before (import {imported.import_id})", file=sys.stderr)
    else:
        print(f"imported {imported.rows} labelled notifications (import {imported.import_id})",
              file=sys.stderr)
    print(imported.import_id)
    return 0


def cmd_labels_sync(args: argparse.Namespace) -> int:
    settings = prepare()
    count = sync_label_facts(settings.database)
    print(f"stored facts for {count} newly labelled notifications", file=sys.stderr)
    return 0


# --- models -------------------------------------------------------------------------------


def cmd_models_list(args: argparse.Namespace) -> int:
    settings = prepare()
    ensure_registry(settings.database)
    with session_scope(settings.database) as session:
        for m in list_models(session):
            print(
                f"{m.version}\t{m.status}\tsha256={m.sha256[:12]}\t"
                f"trained_on={json.dumps(m.trained_on)}\tmetrics={json.dumps(m.metrics)}"
            )
    return 0


def cmd_models_train(args: argparse.Namespace) -> int:
    settings = prepare()
    ensure_registry(settings.database)
    user_id = _user(settings.database, args.by) if args.by else None
    if args.data:
        rows = list(read_labelled(args.data))
        trained_on = {"source": "file", "path": Path(args.data).name}
    else:
        rows = rows_from_labels(settings.database)
        trained_on = {"source": "service labels"}
    version = train_candidate(
        settings.database,
        settings.resolved_data_dir,
        rows,
        trained_on,
        registered_by=user_id,
        seed=args.seed,
    )
    print(version)
    return 0


def cmd_models_compare(args: argparse.Namespace) -> int:
    settings = prepare()
    with session_scope(settings.database) as session:
        policy = active_policy(session)
    rows = list(read_labelled(args.data)) if args.data else None
    try:
        comparison = compare_models(
            settings.database, args.version, policy, days=args.days, rows=rows
        )
    except LookupError:
        raise GovernanceError("not_found") from None
    print(json.dumps(comparison, indent=2))
    return 0


def cmd_models_promote(args: argparse.Namespace) -> int:
    settings = prepare()
    ensure_registry(settings.database)
    user_id = _user(settings.database, args.by)
    with session_scope(settings.database) as session:
        promote_model(session, version=args.version, approver=user_id, now=utcnow())
    active_screener(settings.database)  # load it once now: a bad artefact fails here, loudly
    print(f"model {args.version} is active", file=sys.stderr)
    return 0


def cmd_models_rollback(args: argparse.Namespace) -> int:
    settings = prepare()
    user_id = _user(settings.database, args.by)
    with session_scope(settings.database) as session:
        version = rollback_model(session, user_id=user_id, now=utcnow())
    print(version)
    return 0


# --- wiring -------------------------------------------------------------------------------


def _sub(parser: argparse.ArgumentParser) -> argparse._SubParsersAction:
    """The parser's sub-commands, made if it has none yet."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return action
    raise LookupError(parser.prog)


def _policy_fields(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--screen-out-max", type=float, help="screen_out_max_score")
    parser.add_argument("--review-min", type=float, help="review_min_score")
    parser.add_argument("--sample-share", type=float, help="share of screen-outs sampled")
    silence = parser.add_mutually_exclusive_group()
    silence.add_argument("--allow-silence", dest="allow_silence", action="store_true",
                         default=None, help="allow screening out on silence")
    silence.add_argument("--no-allow-silence", dest="allow_silence", action="store_false",
                         help="never screen out on silence")


def register(sub: argparse._SubParsersAction) -> None:
    policy = sub.add_parser("policy", help="screening policy versions (heads of safeguarding)")
    policy_sub = policy.add_subparsers(dest="policy_command", required=True, metavar="ACTION")
    listing = policy_sub.add_parser("list", help="every policy version and its status")
    listing.set_defaults(handler=_guard(cmd_policy_list))
    show = policy_sub.add_parser("show", help="a version's policy JSON (default: the active one)")
    show.add_argument("version", type=int, nargs="?")
    show.set_defaults(handler=_guard(cmd_policy_show))
    propose = policy_sub.add_parser("propose", help="propose a new version (needs approval)")
    propose.add_argument("--by", required=True, help="your username")
    propose.add_argument("--reason", required=True)
    propose.add_argument("--file", help="a whole policy JSON file to start from")
    _policy_fields(propose)
    propose.set_defaults(handler=_guard(cmd_policy_propose))
    for name, handler, text in (
        ("approve", cmd_policy_approve, "approve a proposed version (a second head)"),
        ("reject", cmd_policy_reject, "refuse or withdraw a proposed version"),
    ):
        action = policy_sub.add_parser(name, help=text)
        action.add_argument("version", type=int)
        action.add_argument("--by", required=True, help="your username")
        action.set_defaults(handler=_guard(handler))
    whatif = policy_sub.add_parser(
        "whatif", help="a policy's effect over all stored labelled history"
    )
    whatif.add_argument("--version", type=int, help="a stored version (default: the active one)")
    whatif.add_argument("--json", action="store_true")
    _policy_fields(whatif)
    whatif.set_defaults(handler=_guard(cmd_policy_whatif))

    labels = sub.choices.get("labels") or sub.add_parser("labels", help="labelled notifications")
    try:
        labels_sub = _sub(labels)
    except LookupError:
        labels_sub = labels.add_subparsers(dest="labels_command", required=True, metavar="ACTION")
    imported = labels_sub.add_parser(
        "import", help="score a labelled JSONL file once into the what-if history"
    )
    imported.add_argument("--data", required=True)
    imported.set_defaults(handler=_guard(cmd_labels_import))
    sync = labels_sub.add_parser("sync", help="store what-if facts for new service labels")
    sync.set_defaults(handler=_guard(cmd_labels_sync))

    models = sub.add_parser("models", help="the triage model registry")
    models_sub = models.add_subparsers(dest="models_command", required=True, metavar="ACTION")
    models_sub.add_parser("list", help="registered models").set_defaults(
        handler=_guard(cmd_models_list)
    )
    train = models_sub.add_parser("train", help="train a candidate model")
    source = train.add_mutually_exclusive_group(required=True)
    source.add_argument("--data", help="a labelled JSONL file")
    source.add_argument("--from-labels", action="store_true", help="the service's own labels")
    train.add_argument("--by", help="your username")
    train.add_argument("--seed", type=int, default=0)
    train.set_defaults(handler=_guard(cmd_models_train))
    compare = models_sub.add_parser(
        "compare", help="score a candidate in shadow beside the active model"
    )
    compare.add_argument("version")
    compare.add_argument("--days", type=int, default=90, help="labels of the last N days")
    compare.add_argument("--data", help="compare on a labelled file instead")
    compare.set_defaults(handler=_guard(cmd_models_compare))
    promote = models_sub.add_parser("promote", help="make a candidate active (a head's approval)")
    promote.add_argument("version")
    promote.add_argument("--by", required=True, help="your username")
    promote.set_defaults(handler=_guard(cmd_models_promote))
    rollback = models_sub.add_parser("rollback", help="return to the previous model, one step")
    rollback.add_argument("--by", required=True, help="your username")
    rollback.set_defaults(handler=_guard(cmd_models_rollback))
