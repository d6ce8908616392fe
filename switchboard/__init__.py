"""Switchboard: a dbt warehouse of contact-centre KPIs."""

from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent

__all__ = ["PROJECT_DIR"]
