"""The retention schedule: how long a notification's personal data is kept, per route and outcome.

Part of the screening policy (`screening.policy.Policy.retention`), so it is versioned, proposed
and approved like every other setting. Each class counts months from the notification's last
closing event (its last decision or sample verdict; for a screened-out notification nobody
looked at, the time it was triaged). Nothing still open, or undecided, is ever in a class.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator

# The retention classes, in the order a head of safeguarding reads them.
RETENTION_CLASSES: tuple[str, ...] = (
    "screened_out_not_sampled",
    "screened_out_confirmed",
    "no_child_confirmed",
    "child_involved",
)
RETENTION_CLASS_NAMES = {
    "screened_out_not_sampled": "Screened out and not sampled",
    "screened_out_confirmed": "Screened out, a manager's sample confirmed it",
    "no_child_confirmed": "A person decided no child is involved",
    "child_involved": "A child is involved (the council's children's records schedule)",
}
# Fifty years: more than any council keeps children's social care records.
MAX_MONTHS = 600


class RetentionSchedule(BaseModel):
    """Months each class of notification keeps its personal data before the purge removes it."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    enabled: bool = True
    screened_out_not_sampled: int = Field(default=6, ge=1, le=MAX_MONTHS)
    screened_out_confirmed: int = Field(default=12, ge=1, le=MAX_MONTHS)
    no_child_confirmed: int = Field(default=24, ge=1, le=MAX_MONTHS)
    # Children's social care records: the council's schedule (six years from closure here).
    child_involved: int = Field(default=72, ge=1, le=MAX_MONTHS)
    # Rows changed per statement: bounded transactions, never one row at a time.
    batch_size: int = Field(default=5000, ge=100, le=50000)

    @model_validator(mode="after")
    def _looked_at_kept_longer(self) -> RetentionSchedule:
        if self.screened_out_confirmed < self.screened_out_not_sampled:
            raise ValueError(
                "screened_out_confirmed must be at least screened_out_not_sampled: what a "
                "manager checked is kept no shorter than what nobody looked at"
            )
        if self.child_involved < self.no_child_confirmed:
            raise ValueError("child_involved must be at least no_child_confirmed")
        return self

    def months(self, retention_class: str) -> int:
        return int(getattr(self, retention_class))
