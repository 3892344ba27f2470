"""Editing the directory: forms, pages and history for focal points, editors and the secretariat.

Writes go through :mod:`palermo.directory.services`; who may edit is
:func:`palermo.directory.access.may_edit_state`.
"""
