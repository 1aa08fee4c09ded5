"""The kinds of email drafting sends to account holders, so they can turn them off."""

from compact.activity.notifications import register_kind

from .services.invitations import INVITED, REMINDED


def register():
    register_kind(INVITED, "Consultation invitations", "when you are invited to respond to a consultation round")
    register_kind(
        REMINDED, "Consultation reminders", "two days before a consultation closes, if you have not responded"
    )
