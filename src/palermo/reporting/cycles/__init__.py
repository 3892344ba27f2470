"""Reporting cycles: the States in scope, deadlines and extensions, reminders, answering,
clarification requests and supplementary information."""
