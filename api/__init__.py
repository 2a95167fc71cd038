"""FastAPI application: intake routes for police systems and the staff web pages."""
