from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


def add_errors(form, exc: ValidationError) -> None:
    """Put a service's ValidationError onto a form: field errors beside their fields,
    anything else at the top of the error summary."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            target = field if field in form.fields else NON_FIELD_ERRORS
            for error in errors:
                form.add_error(None if target == NON_FIELD_ERRORS else target, error)
    else:
        for message in exc.messages:
            form.add_error(None, message)
