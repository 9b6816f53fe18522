"""Routers, one per resource."""

from api.routes import catalogue, health, jobs, solve, validate

__all__ = ["catalogue", "health", "jobs", "solve", "validate"]
