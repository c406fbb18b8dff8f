"""Importing and exporting strategy trees: validation before writing, all or nothing,
in place by code, lossless round trips."""

import copy
import datetime
import time
from decimal import Decimal

import pytest
import yaml
from django.core.management import CommandError, call_command

from objectives.models import (
    Action,
    Implementation,
    Objective,
    Outcome,
    StatusUpdate,
    Strategy,
)
from objectives.services.tree_import import (
    check_strategy_import,
    do_strategy_import,
    strategy_import,
)
from objectives.tree_format.export import strategy_export_tree
from principles.models import Principle
from strategy_tracker.exceptions import ImportValidationError

from .factories import StatusUpdateFactory

pytestmark = pytest.mark.django_db


def tree(**strategy_overrides):
    """A small valid tree under the reference data: two goals, three outcomes, four actions."""
    document = {
        "format_version": 1,
        "strategy": {
            "code": "TEST-2026",
            "title": {
                "en": "Test strategy",
                "fr": "Stratégie d'essai",
                "ar": "استراتيجية الاختبار",
            },
            "status": "active",
            "owners": ["DPO"],
            "principles": ["P01", "P04"],
            "stakeholder_groups": ["S1"],
            "aligned_with": ["DTS-2021"],
            "goals": [
                {
                    "code": "G1",
                    "order": 1,
                    "title": "First goal",
                    "outcomes": [
                        {
                            "code": "O1.1",
                            "title": {"en": "First outcome"},
                            "actions": [
                                {
                                    "code": "A1.1.1",
                                    "title": "Appoint focal points",
                                    "lead": "DPO",
                                    "start_date": datetime.date(2026, 1, 1),
                                    "due_date": datetime.date(2026, 12, 31),
                                    "weight": 2,
                                    "principles": ["P01"],
                                    "stakeholder_groups": ["S1"],
                                    "implementations": ["MINUSCA", "UNMISS"],
                                },
                                {
                                    "code": "A1.1.2",
                                    "title": "Train staff",
                                    "weight": 1.5,
                                    "implementations": [
                                        {
                                            "organisation": "MINUSCA",
                                            "due_date": datetime.date(2027, 3, 1),
                                        }
                                    ],
                                },
                            ],
                        },
                        {"code": "O1.2", "title": "Second outcome", "actions": []},
                    ],
                },
                {
                    "code": "G2",
                    "order": 2,
                    "title": "Second goal",
                    "outcomes": [
                        {
                            "code": "O2.1",
                            "title": "Third outcome",
                            "illustrative": True,
                            "actions": [
                                {
                                    "code": "A2.1.1",
                                    "title": "Pilot sensors",
                                    "implementations": ["UNMISS"],
                                },
                                {"code": "A2.1.2", "title": "Review the pilot"},
                            ],
                        }
                    ],
                },
            ],
        },
    }
    document["strategy"].update(strategy_overrides)
    return document


def database_state():
    """Every row of the tree, as comparable values (timestamps included)."""
    return {
        model.__name__: sorted(model.objects.values_list(), key=lambda row: row[0])
        for model in (Strategy, Objective, Outcome, Action, Implementation, Principle)
    } | {
        "action principles": sorted(
            Action.principles.through.objects.values_list("action_id", "principle_id")
        ),
        "strategy alignment": sorted(
            Strategy.aligned_with.through.objects.values_list()
        ),
    }


def test_import_creates_the_whole_tree(reference_data):
    report = strategy_import(data=tree())

    strategy = Strategy.objects.get(code="TEST-2026")
    assert (strategy.title_en, strategy.title_fr, strategy.title_ar) == (
        "Test strategy",
        "Stratégie d'essai",
        "استراتيجية الاختبار",
    )
    assert list(strategy.objectives.values_list("code", flat=True)) == ["G1", "G2"]
    assert Outcome.objects.filter(objective__strategy=strategy).count() == 3
    action = Action.objects.get(outcome__objective__strategy=strategy, code="A1.1.1")
    assert action.weight == Decimal("2.00")
    assert action.lead_organisation.code == "DPO"
    assert list(action.principles.values_list("code", flat=True)) == ["P01"]
    assert sorted(
        action.implementations.values_list("organisation__code", flat=True)
    ) == ["MINUSCA", "UNMISS"]
    assert Action.objects.get(
        code="A1.1.2", outcome__objective__strategy=strategy
    ).weight == Decimal("1.50")
    assert Implementation.objects.get(action__code="A1.1.2").due_date == datetime.date(
        2027, 3, 1
    )
    assert Outcome.objects.get(code="O2.1").is_illustrative is True
    assert report.counts["actions"]["created"] == 4
    assert report.counts["implementations"]["created"] == 4


def test_malformed_file_names_every_problem_and_writes_nothing(reference_data):
    """Validation collects every problem with its path before anything is written."""
    document = tree()
    goals = document["strategy"]["goals"]
    goals.append(
        {
            "code": "G3",
            "title": "Third goal",
            "outcomes": [
                {"code": "O3.1", "title": "Fine"},
                {"code": "O3.1", "title": "Repeated"},
            ],
        }
    )
    goals[0]["outcomes"][0]["actions"][0].update(
        {
            "lead": "NOWHERE",
            "weight": -1,
            "principles": ["P01", "P99"],
            "due_date": "2025-02-30",
        }
    )
    goals[0]["outcomes"][0]["actions"][1]["implementations"] = ["MINUSCA", "MINUSCA"]
    goals[1]["outcomes"][0]["actions"][0]["title"] = {"de": "Sensoren"}
    goals[1]["colour"] = "blue"
    document["strategy"]["status"] = "paused"
    document["strategy"]["aligned_with"] = ["TEST-2026"]
    before = database_state()

    with pytest.raises(ImportValidationError) as caught:
        strategy_import(data=document)

    assert caught.value.errors == [
        'strategy.status: "paused" is not one of: draft, active, archived',
        "strategy.aligned_with[0]: a strategy cannot be aligned with itself",
        'strategy.goals[0].outcomes[0].actions[0].lead: unknown organisation "NOWHERE"',
        'strategy.goals[0].outcomes[0].actions[0].due_date: "2025-02-30" is not a date (use YYYY-MM-DD)',
        "strategy.goals[0].outcomes[0].actions[0].weight: must be a number greater than 0",
        'strategy.goals[0].outcomes[0].actions[0].principles[1]: unknown principle "P99"',
        'strategy.goals[0].outcomes[0].actions[1].implementations[1]: duplicate organisation "MINUSCA"',
        "strategy.goals[1].colour: unknown field",
        "strategy.goals[1].outcomes[0].actions[0].title.de: unknown language; use ar, zh-hans, en, fr, ru, es",
        "strategy.goals[1].outcomes[0].actions[0].title.en: English text is required",
        'strategy.goals[2].outcomes[1].code: duplicate code "O3.1"',
    ]
    assert database_state() == before


@pytest.mark.parametrize(
    ("data", "problems"),
    [
        (None, [": expected a mapping, got nothing"]),
        ("just text", [": expected a mapping, got text"]),
        ({"strategy": {"title": "No code"}}, ["strategy.code: this field is required"]),
        (
            {"format_version": 2, "strategy": {"code": "X", "title": "T"}},
            ["format_version: unsupported version 2; expected 1"],
        ),
        (
            {"strategy": {"code": "has space", "title": "T", "goals": "G1"}},
            [
                'strategy.code: "has space" is not a valid code (1 to 30 letters, digits, ".", "_" or "-")',
                "strategy.goals: expected a list, got text",
            ],
        ),
        (
            {"strategy": {"code": "X", "title": "T", "published": "August 2021"}},
            [
                'strategy.published: "August 2021" is not a date (use YYYY, YYYY-MM or YYYY-MM-DD)'
            ],
        ),
    ],
)
def test_shape_problems_are_reported_with_their_path(reference_data, data, problems):
    with pytest.raises(ImportValidationError) as caught:
        check_strategy_import(data=data)
    assert caught.value.errors == problems
    assert not Strategy.objects.filter(code="X").exists()


def test_a_failure_while_writing_rolls_back_everything(reference_data):
    """Even a problem found only while writing leaves nothing half-written."""
    spec = check_strategy_import(data=tree())
    spec.goals[1].outcomes[0].actions[1].weight = Decimal(
        "0"
    )  # bypasses the file validation
    before = database_state()

    with pytest.raises(ImportValidationError) as caught:
        do_strategy_import(spec=spec, progress=lambda message: None)

    assert caught.value.errors == [
        "strategy.goals[1].outcomes[0].actions[1]: Ensure this value is greater than or equal to 0.01."
    ]
    assert database_state() == before


def test_reimporting_the_same_file_changes_nothing(reference_data):
    strategy_import(data=tree())
    before = database_state()

    report = strategy_import(data=tree())

    assert report.changed is False
    assert report.counts["actions"] == {"unchanged": 4}
    assert database_state() == before


def test_reimport_updates_rows_in_place_by_code(reference_data):
    strategy_import(data=tree())
    action_pk = Action.objects.get(code="A1.1.1").pk
    changed = tree()
    changed["strategy"]["goals"][0]["outcomes"][0]["actions"][0]["title"] = (
        "Appoint digital focal points"
    )

    report = strategy_import(data=changed)

    action = Action.objects.get(code="A1.1.1")
    assert (action.pk, action.title_en) == (action_pk, "Appoint digital focal points")
    assert report.counts["actions"] == {"updated": 1, "unchanged": 3}
    assert (
        Action.objects.filter(outcome__objective__strategy__code="TEST-2026").count()
        == 4
    )


def test_left_out_action_with_updates_is_archived_and_without_is_deleted(
    reference_data,
):
    strategy_import(data=tree())
    reported = Implementation.objects.get(
        action__code="A2.1.1", organisation__code="UNMISS"
    )
    update = StatusUpdateFactory(implementation=reported)
    smaller = tree()
    smaller["strategy"]["goals"][1]["outcomes"][0]["actions"] = []

    report = strategy_import(data=smaller)

    archived = Action.objects.get(code="A2.1.1")
    assert archived.archived_at is not None
    assert not Action.objects.filter(code="A2.1.2").exists()
    assert StatusUpdate.objects.get(pk=update.pk).implementation_id == reported.pk
    assert report.counts["actions"]["archived"] == 1
    assert report.counts["actions"]["deleted"] == 1

    # Bringing the action back restores it, with its history.
    report = strategy_import(data=tree())
    assert Action.objects.get(code="A2.1.1").archived_at is None
    assert Action.objects.get(code="A2.1.1").implementations.get().updates.count() == 1


def test_left_out_goal_with_reported_work_is_archived_with_its_reported_branch(
    reference_data,
):
    strategy_import(data=tree())
    StatusUpdateFactory(
        implementation=Implementation.objects.get(action__code="A2.1.1")
    )
    smaller = tree()
    del smaller["strategy"]["goals"][1]

    strategy_import(data=smaller)

    assert (
        Objective.objects.get(code="G2", strategy__code="TEST-2026").archived_at
        is not None
    )
    assert Outcome.objects.get(code="O2.1").archived_at is not None
    assert Action.objects.get(code="A2.1.1").archived_at is not None
    assert not Action.objects.filter(code="A2.1.2").exists()


def test_left_out_implementation_with_updates_is_archived(reference_data):
    strategy_import(data=tree())
    StatusUpdateFactory(
        implementation=Implementation.objects.get(
            action__code="A1.1.1", organisation__code="UNMISS"
        )
    )
    smaller = tree()
    smaller["strategy"]["goals"][0]["outcomes"][0]["actions"][0]["implementations"] = []

    strategy_import(data=smaller)

    remaining = Implementation.objects.filter(action__code="A1.1.1")
    assert list(remaining.values_list("organisation__code", flat=True)) == ["UNMISS"]
    assert remaining.get().archived_at is not None


def test_absent_lists_leave_that_part_of_the_tree_alone(reference_data):
    """A goal without an 'outcomes' key keeps the outcomes already imported under it."""
    strategy_import(data=tree())
    headline_only = tree()
    for goal in headline_only["strategy"]["goals"]:
        del goal["outcomes"]

    report = strategy_import(data=headline_only)

    assert report.changed is False
    assert Outcome.objects.filter(objective__strategy__code="TEST-2026").count() == 3


def test_export_then_import_is_lossless(reference_data):
    """Exporting a tree and importing the export changes nothing, and exports the same again."""
    strategy_import(data=tree())
    before = database_state()
    exported = strategy_export_tree(strategy=Strategy.objects.get(code="TEST-2026"))
    through_yaml = yaml.safe_load(
        yaml.safe_dump(exported, allow_unicode=True, sort_keys=False)
    )

    report = strategy_import(data=through_yaml)

    assert report.changed is False
    assert database_state() == before
    assert (
        strategy_export_tree(strategy=Strategy.objects.get(code="TEST-2026"))
        == exported
    )
    assert (
        through_yaml["strategy"]["goals"][0]["outcomes"][0]["actions"][1]["weight"]
        == 1.5
    )


def test_export_of_an_empty_tree_imports_into_an_empty_database(reference_data):
    """An export carries everything needed to rebuild the tree elsewhere."""
    strategy_import(data=tree())
    exported = strategy_export_tree(strategy=Strategy.objects.get(code="TEST-2026"))
    Strategy.objects.filter(code="TEST-2026").delete()

    strategy_import(data=copy.deepcopy(exported))

    assert (
        strategy_export_tree(strategy=Strategy.objects.get(code="TEST-2026"))
        == exported
    )


def test_export_keeps_arabic_verbatim(reference_data):
    exported = strategy_export_tree(strategy=Strategy.objects.get(code="DTS-2021"))
    names = {p["code"]: p["name"]["ar"] for p in exported["strategy"]["principles"]}
    assert names["P04"] == "عدم الأذى"
    assert "عدم الأذى" in yaml.safe_dump(exported, allow_unicode=True)


def test_export_query_count_does_not_grow_with_the_tree(
    reference_data, django_assert_num_queries
):
    strategy_import(data=tree())
    strategy = Strategy.objects.get(code="TEST-2026")
    with django_assert_num_queries(11):
        strategy_export_tree(strategy=strategy)
    bigger = tree()
    bigger["strategy"]["goals"][1]["outcomes"][0]["actions"] += [
        {
            "code": f"A2.1.{n}",
            "title": f"Extra {n}",
            "principles": ["P04"],
            "implementations": ["UNMISS"],
        }
        for n in range(3, 30)
    ]
    strategy_import(data=bigger)
    with django_assert_num_queries(11):
        strategy_export_tree(strategy=strategy)


def test_import_command_reports_problems_and_fails(reference_data, tmp_path, capsys):
    path = tmp_path / "bad.yaml"
    path.write_text("strategy:\n  code: X\n  goals:\n  - code: G1\n", encoding="utf-8")

    with pytest.raises(
        CommandError, match=r"2 problem\(s\) found; nothing was imported."
    ):
        call_command("import_strategy", str(path))

    assert capsys.readouterr().err.splitlines() == [
        "  strategy.title: this field is required",
        "  strategy.goals[0].title: this field is required",
    ]


def test_import_command_rejects_invalid_yaml(tmp_path, capsys):
    path = tmp_path / "broken.yaml"
    path.write_text("strategy: [unclosed\n", encoding="utf-8")
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_strategy", str(path))
    assert "the file is not valid YAML" in capsys.readouterr().err


ALIAS_BOMB = "\n".join(
    ["a: &a [x, x, x, x, x, x, x, x, x]"]
    + [
        f"{chr(98 + n)}: &{chr(98 + n)} [{', '.join([f'*{chr(97 + n)}'] * 9)}]"
        for n in range(8)
    ]
    + ["strategy: {code: BOMB, title: {en: Bomb}, goals: *i}"]
)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        # Finding: a 12 kB YAML alias bomb ran past 90 s and 1.5 GB.
        (ALIAS_BOMB, "YAML aliases"),
        # Finding: deep nesting raised an uncaught RecursionError.
        ("strategy: " + "[" * 5000 + "]" * 5000, "nested too deeply"),
        ("strategy:\n" + "  " * 0 + "  goals: " + "[" * 40 + "]" * 40, "nested deeper"),
    ],
)
def test_import_limits_give_the_commands_own_error(
    tmp_path, capsys, settings, text, problem
):
    settings.IMPORT_MAX_ALIASES = 20
    path = tmp_path / "hostile.yaml"
    path.write_text(text, encoding="utf-8")
    started = time.monotonic()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_strategy", str(path))
    assert problem in capsys.readouterr().err
    assert time.monotonic() - started < 10


def test_an_alias_bomb_within_the_alias_cap_stops_at_the_value_budget(settings):
    from objectives.tree_format.limits import load_strategy_yaml
    from strategy_tracker.exceptions import ImportValidationError

    settings.IMPORT_MAX_ALIASES = 1000
    with pytest.raises(ImportValidationError) as caught:
        load_strategy_yaml(ALIAS_BOMB)
    assert "values; the limit is" in caught.value.errors[0]


def test_an_oversized_file_is_refused_by_its_size(settings):
    from objectives.tree_format.limits import load_strategy_yaml
    from strategy_tracker.exceptions import ImportValidationError

    settings.IMPORT_MAX_BYTES = 1000
    with pytest.raises(ImportValidationError) as caught:
        load_strategy_yaml("strategy: {code: X}\n# " + "x" * 2000)
    assert caught.value.errors == ["the file is 0.0 MB; the limit is 0.0 MB"]


def test_a_nul_character_in_an_imported_title_names_its_path(reference_data):
    """Finding: NUL in an imported title gave a server error on PostgreSQL."""
    document = tree()
    document["strategy"]["goals"][0]["title"] = {"en": "Goal\x00one"}
    with pytest.raises(ImportValidationError) as caught:
        strategy_import(data=document)
    assert any(
        problem.startswith("strategy.goals[0].title.en: contains a NUL character")
        for problem in caught.value.errors
    ), caught.value.errors


def test_export_and_import_commands_round_trip(reference_data, tmp_path, capsys):
    strategy_import(data=tree())
    path = tmp_path / "tree.yaml"
    call_command("export_strategy", "TEST-2026", output=path)
    before = database_state()

    call_command("import_strategy", str(path))

    assert (
        "Strategy TEST-2026 already up to date; nothing changed."
        in capsys.readouterr().out
    )
    assert database_state() == before


def test_export_command_names_known_codes_for_an_unknown_one(reference_data):
    with pytest.raises(
        CommandError,
        match=r'no strategy with code "NOPE" \(known: A4P-2018, DTS-2021, SGNT-2018\)',
    ):
        call_command("export_strategy", "NOPE")
