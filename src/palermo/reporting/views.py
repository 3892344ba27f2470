"""Questionnaire pages of the secretariat."""
