"""Screening: notification -> findings -> score -> route. Pure code; no web, broker or database."""
