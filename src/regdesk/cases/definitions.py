"""Process definitions as versioned data (流程定义), and their registry.

A regulated process (an ICP filing, a line registration, a licence change) is declared once as a
``ProcessDefinition``: its states, its transitions (name, source states, target, roles, guards, effects), its clocks
(a fixed budget or the name of the setting that gives it, the unit, warning and breach rungs) and the prefix of its
reference numbers. Every case pins the key and version it started under; a changed definition needs a new version
number, and the kernel refuses a definition whose snapshot differs from the one already recorded under the same
version (see ``services.processes``). A value that configuration decides (a deadline) is named in the definition and
resolved when the clock starts (DESIGN.md rule 13).

Guards and effects are *named* callables: the names go into the snapshot, the callables stay in code.

Declaring a process::

    from regdesk.cases import effects
    from regdesk.cases.definitions import ClockDefinition, ProcessDefinition, Rung, Transition, register_process

    register_process(ProcessDefinition(
        key="example.review", version=1, reference_prefix="EXR",
        states=("draft", "waiting", "done", "lapsed"), initial_state="draft", terminal_states=("done", "lapsed"),
        transitions=(
            Transition("submit", sources=("draft",), target="waiting", roles=(Role.SPECIALIST,),
                       effects=(effects.start_clock("review"),)),
            Transition("lapse", sources=("waiting",), target="lapsed", roles=(SYSTEM,)),
        ),
        clocks=(ClockDefinition("review", budget=5, unit=BudgetUnit.WORKING_DAYS, rungs=(
            Rung("warning", percent=80, effect=effects.notify_role(Role.SPECIALIST)),
            Rung("breach", breach=True, effect=effects.system_action("lapse")),
        )),),
    ))

Apps register their processes in ``AppConfig.ready()``.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import KW_ONLY, dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.utils.functional import Promise

if TYPE_CHECKING:
    from datetime import datetime

    from regdesk.accounts.models import User
    from regdesk.cases.models import Case, CaseEvent, Clock

# The pseudo-role of transitions that only the system (the clock sweep, an outside system's answer) may take.
SYSTEM = "system"
# The names recorded in the history for the start of a case, an assignment and a move to another unit; no
# transition may use them.
START_EVENT = "start"
ASSIGN_EVENT = "assign"
TRANSFER_EVENT = "transfer"
RESERVED_ACTIONS = frozenset({START_EVENT, ASSIGN_EVENT, TRANSFER_EVENT})

_NAME = re.compile(r"^[a-z][a-z0-9_]{0,49}$")
_KEY = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$")
_PREFIX = re.compile(r"^[A-Z]{2,8}$")
_SETTING = re.compile(r"^[A-Z][A-Z0-9_]{0,99}$")


class DefinitionError(ValueError):
    """A process definition is inconsistent, or conflicts with one registered under the same key and version."""


class BudgetUnit(StrEnum):
    WORKING_DAYS = "working_days"
    HOURS = "hours"
    CALENDAR_DAYS = "calendar_days"


@dataclass(frozen=True)
class Guard:
    """A named check ``function(case, payload) -> None | refusal reason`` (translated text).

    ``checks_payload`` marks guards that judge the payload: ``allowed_actions`` lists an action before the payload
    is known, so it skips them; ``case_transition`` always runs every guard.
    """

    name: str
    function: Callable[[Case, Mapping[str, Any]], str | Promise | None]
    checks_payload: bool = False


@dataclass(frozen=True)
class ActorGuard:
    """A named check ``function(case, actor, role) -> None | refusal reason`` on *who* takes an action.

    Roles come from memberships of organisation units, so a role alone cannot say "this case's own applicant"
    (every website owner holds the same role in the provider's unit). An actor guard runs after the role check
    with the acting user (``None`` for the system) and the role the action is taken in. ``case_transition`` picks
    the first of the actor's usable roles whose actor guards all pass; ``allowed_actions`` lists an action only when
    such a role exists, so an action reserved to the case's own applicant is listed for that applicant alone.
    """

    name: str
    function: Callable[[Case, User | None, str], str | Promise | None]


@dataclass(frozen=True)
class EffectContext:
    """What an effect sees: the case after the move, who moved it, the action and its payload, the event."""

    case: Case
    actor: User | None
    action: str
    payload: Mapping[str, Any]
    event: CaseEvent


@dataclass(frozen=True)
class Effect:
    """A named ``function(context)`` run after the move, in the same transaction."""

    name: str
    function: Callable[[EffectContext], None]


@dataclass(frozen=True)
class Transition:
    """An action that moves a case from one of ``sources`` to ``target``.

    ``roles`` are ``Role`` values, or ``SYSTEM`` for actions the system takes (actor ``None``). ``actor_guards``
    check who acts (see ``ActorGuard``). Only the payload keys named in ``recorded_payload`` are written to the
    case history, so that personal data in a payload never reaches it.
    """

    name: str
    sources: tuple[str, ...]
    target: str
    roles: tuple[str, ...]
    label: str | Promise = ""
    guards: tuple[Guard, ...] = ()
    effects: tuple[Effect, ...] = ()
    recorded_payload: tuple[str, ...] = ()
    actor_guards: tuple[ActorGuard, ...] = ()

    @property
    def system_only(self) -> bool:
        return self.roles == (SYSTEM,)


@dataclass(frozen=True)
class RungContext:
    """What a rung effect sees when the sweep fires it."""

    case: Case
    clock: Clock
    rung: Rung
    now: datetime


@dataclass(frozen=True)
class RungEffect:
    """A named ``function(context) -> outcome`` run when a rung fires, in the transaction that records the firing.

    The outcome is a short, non-personal text kept with the firing (``"action:lapse"``, ``"notified:2"``).
    """

    name: str
    function: Callable[[RungContext], str]


@dataclass(frozen=True)
class Rung:
    """A point on a clock where something happens. Exactly one position:

    * ``percent``: when that share of the budget is used (working-day clocks round up to whole days: 50 % of
      5 working days fires at the end of the 3rd);
    * ``before_due``: that many budget units before the due time (``1`` on a working-day clock: the end of the
      working day before the due day);
    * ``breach=True``: at the due time; firing it marks the clock breached.
    """

    name: str
    effect: RungEffect
    percent: int | None = None
    before_due: int | None = None
    breach: bool = False

    def __post_init__(self) -> None:
        positions = [self.percent is not None, self.before_due is not None, self.breach]
        if sum(positions) != 1:
            raise DefinitionError(f"rung {self.name!r} needs exactly one of percent, before_due, breach")
        if self.percent is not None and not 0 < self.percent <= 100:
            raise DefinitionError(f"rung {self.name!r}: percent must be 1-100")
        if self.before_due is not None and self.before_due < 0:
            raise DefinitionError(f"rung {self.name!r}: before_due must not be negative")

    def snapshot(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "percent": self.percent,
            "before_due": self.before_due,
            "breach": self.breach,
            "effect": self.effect.name,
        }


@dataclass(frozen=True)
class ClockDefinition:
    """A deadline: a budget in working days, hours or calendar days, with its rungs.

    The budget is fixed (``budget``, part of the versioned definition) or configured (``budget_setting``, the name
    of the setting that gives it, such as ``REGDESK_ICP_ONSITE_DAYS``). A configured budget is resolved when a clock
    starts and recorded on the clock: the definition and its fingerprint name the setting, never its value, so
    changing the setting neither breaks the recorded version nor moves the clocks already running. A ``before_due``
    rung further from the due time than a configured budget allows fires at the start.
    """

    name: str
    _: KW_ONLY
    unit: BudgetUnit
    budget: int | None = None
    budget_setting: str = ""
    rungs: tuple[Rung, ...] = ()
    label: str | Promise = ""

    def __post_init__(self) -> None:
        if (self.budget is None) == (not self.budget_setting):
            raise DefinitionError(f"clock {self.name!r} needs exactly one of budget, budget_setting")
        if self.budget is not None and self.budget <= 0:
            raise DefinitionError(f"clock {self.name!r}: the budget must be positive")
        if self.budget_setting and not _SETTING.match(self.budget_setting):
            raise DefinitionError(f"clock {self.name!r}: bad setting name {self.budget_setting!r}")
        names = [rung.name for rung in self.rungs]
        if len(names) != len(set(names)):
            raise DefinitionError(f"clock {self.name!r}: rung names must be unique")
        for rung in self.rungs:
            if not _NAME.match(rung.name):
                raise DefinitionError(f"clock {self.name!r}: bad rung name {rung.name!r}")
            if self.budget is not None and rung.before_due is not None and rung.before_due > self.budget:
                raise DefinitionError(f"clock {self.name!r}: rung {rung.name!r} lies before the start")

    def rung(self, name: str) -> Rung:
        for rung in self.rungs:
            if rung.name == name:
                return rung
        raise KeyError(name)

    def snapshot(self) -> dict[str, Any]:
        snapshot: dict[str, Any] = {"name": self.name}
        # A fixed budget is written as it always was, so that the digests of recorded versions stay equal.
        if self.budget is not None:
            snapshot["budget"] = self.budget
        else:
            snapshot["budget_setting"] = self.budget_setting
        snapshot["unit"] = str(self.unit)
        snapshot["rungs"] = [rung.snapshot() for rung in self.rungs]
        return snapshot


@dataclass(frozen=True)
class DocumentKind:
    """A kind of document a process accepts. ``allow_any_type`` admits files that are not PDF or an image."""

    key: str
    label: str | Promise = ""
    allow_any_type: bool = False


# The kinds accepted by processes that declare none.
DEFAULT_DOCUMENT_KINDS = (DocumentKind("attachment"),)


@dataclass(frozen=True)
class ProcessDefinition:
    """One version of a process. See the module docstring."""

    key: str
    version: int
    reference_prefix: str
    states: tuple[str, ...]
    initial_state: str
    terminal_states: tuple[str, ...]
    transitions: tuple[Transition, ...]
    clocks: tuple[ClockDefinition, ...] = ()
    on_start: tuple[Effect, ...] = ()
    document_kinds: tuple[DocumentKind, ...] = DEFAULT_DOCUMENT_KINDS
    label: str | Promise = ""
    _transitions: dict[str, Transition] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not _KEY.match(self.key) or len(self.key) > 100:
            raise DefinitionError(f"bad process key {self.key!r}")
        if self.version < 1:
            raise DefinitionError(f"{self.key}: versions start at 1")
        if not _PREFIX.match(self.reference_prefix):
            raise DefinitionError(f"{self.key}: the reference prefix must be 2-8 capital letters")
        states = set(self.states)
        if len(states) != len(self.states) or not all(_NAME.match(state) for state in self.states):
            raise DefinitionError(f"{self.key}: states must be unique lower-case names")
        if self.initial_state not in states:
            raise DefinitionError(f"{self.key}: unknown initial state {self.initial_state!r}")
        if not set(self.terminal_states) <= states:
            raise DefinitionError(f"{self.key}: unknown terminal states")
        from regdesk.accounts.roles import Role

        known_roles = {str(role) for role in Role} | {SYSTEM}
        by_name: dict[str, Transition] = {}
        for transition in self.transitions:
            if not _NAME.match(transition.name) or transition.name in RESERVED_ACTIONS:
                raise DefinitionError(f"{self.key}: bad transition name {transition.name!r}")
            if transition.name in by_name:
                raise DefinitionError(f"{self.key}: two transitions named {transition.name!r}")
            if not transition.sources or not set(transition.sources) <= states:
                raise DefinitionError(f"{self.key}.{transition.name}: unknown source states")
            if set(transition.sources) & set(self.terminal_states):
                raise DefinitionError(f"{self.key}.{transition.name}: terminal states have no way out")
            if transition.target not in states:
                raise DefinitionError(f"{self.key}.{transition.name}: unknown target {transition.target!r}")
            if not transition.roles or not {str(role) for role in transition.roles} <= known_roles:
                raise DefinitionError(f"{self.key}.{transition.name}: unknown roles")
            by_name[transition.name] = transition
        clock_names = [clock.name for clock in self.clocks]
        if len(clock_names) != len(set(clock_names)) or not all(_NAME.match(name) for name in clock_names):
            raise DefinitionError(f"{self.key}: clock names must be unique lower-case names")
        kinds = [kind.key for kind in self.document_kinds]
        if len(kinds) != len(set(kinds)) or not all(_NAME.match(kind) for kind in kinds):
            raise DefinitionError(f"{self.key}: document kinds must be unique lower-case names")
        object.__setattr__(self, "_transitions", by_name)

    def transition(self, name: str) -> Transition | None:
        return self._transitions.get(name)

    def clock(self, name: str) -> ClockDefinition:
        for clock in self.clocks:
            if clock.name == name:
                return clock
        raise KeyError(name)

    def document_kind(self, key: str) -> DocumentKind | None:
        for kind in self.document_kinds:
            if kind.key == key:
                return kind
        return None

    def snapshot(self) -> dict[str, Any]:
        """States, transitions, clocks and names of guards and effects: everything but the callables."""
        return {
            "key": self.key,
            "version": self.version,
            "reference_prefix": self.reference_prefix,
            "states": list(self.states),
            "initial_state": self.initial_state,
            "terminal_states": sorted(self.terminal_states),
            "transitions": [_transition_snapshot(transition) for transition in self.transitions],
            "clocks": [clock.snapshot() for clock in self.clocks],
            "on_start": [effect.name for effect in self.on_start],
            "document_kinds": [
                {"key": kind.key, "allow_any_type": kind.allow_any_type} for kind in self.document_kinds
            ],
        }

    def digest(self) -> str:
        canonical = json.dumps(self.snapshot(), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _transition_snapshot(transition: Transition) -> dict[str, Any]:
    snapshot: dict[str, Any] = {
        "name": transition.name,
        "sources": sorted(transition.sources),
        "target": transition.target,
        "roles": sorted(str(role) for role in transition.roles),
        "guards": [guard.name for guard in transition.guards],
        "effects": [effect.name for effect in transition.effects],
        "recorded_payload": sorted(transition.recorded_payload),
    }
    # Only when present: the snapshots (and digests) of definitions recorded before actor guards existed stay equal.
    if transition.actor_guards:
        snapshot["actor_guards"] = [guard.name for guard in transition.actor_guards]
    return snapshot


_registry: dict[tuple[str, int], ProcessDefinition] = {}


def register_process(definition: ProcessDefinition) -> ProcessDefinition:
    """Make a definition available to ``case_start``. Registering the same snapshot again is harmless; another
    snapshot under a registered key and version is refused (a changed process needs a new version)."""
    existing = _registry.get((definition.key, definition.version))
    if existing is not None and existing.digest() != definition.digest():
        raise DefinitionError(
            f"{definition.key} version {definition.version} is already registered with another definition; "
            "a changed process needs a new version number"
        )
    _registry[(definition.key, definition.version)] = definition
    return definition


def get_process(key: str, version: int | None = None) -> ProcessDefinition:
    """The definition of ``key`` at ``version`` (the highest registered version when ``None``).

    Raises ``LookupError`` for an unknown process or version.
    """
    if version is None:
        versions = [number for (registered, number) in _registry if registered == key]
        if not versions:
            raise LookupError(f"no process {key!r} is registered")
        version = max(versions)
    try:
        return _registry[(key, version)]
    except KeyError:
        raise LookupError(f"process {key!r} version {version} is not registered") from None


def registered_processes() -> list[ProcessDefinition]:
    return sorted(_registry.values(), key=lambda definition: (definition.key, definition.version))
