"""Case study pages: the library and public library (library.py), writing and editing, for
members and for contributors invited by link (editing.py), review, consent and publication
(workflow.py), contributor invitations (contributors.py) and exports (exports.py)."""
