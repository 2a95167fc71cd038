"""Settings of policy governance: `DVSCREEN_SINGLE_APPROVAL=true` lets a small authority with
one head of safeguarding approve their own policy change (default: a second head must)."""

from __future__ import annotations

from pydantic_settings import BaseSettings, SettingsConfigDict


class GovernanceSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="DVSCREEN_", extra="ignore", frozen=True)

    single_approval: bool = False
