"""Notifications for nightly runs."""
