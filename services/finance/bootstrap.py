"""Composition root of finance: the only place that reads settings and builds I/O objects."""

from __future__ import annotations

from services.finance.adapters.tables import metadata
from services.finance.adapters.uow import SqlFinanceUnitOfWork
from services.finance.entrypoints.subscriptions import register
from shared.runtime import ServiceRuntime
from shared.settings import ServiceSettings
from shared.wiring import wire_service

__all__ = ["FinanceSettings", "build"]


class FinanceSettings(ServiceSettings):
    """Settings of finance (`RW_FINANCE_*`)."""


def build(settings: FinanceSettings) -> ServiceRuntime:
    """Wire engine, broker, relay and subscribers."""
    return wire_service(settings, metadata, SqlFinanceUnitOfWork, register)
