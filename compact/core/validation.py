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


def save_if_valid(request, form, save, *, refused=None):
    """The usual form POST. When `form` is posted and valid, call `save(data)` with a copy of its
    cleaned data and return the result (True when the service returns nothing). A ValidationError
    from the service goes onto the form beside its fields, after `refused()` runs (for example to
    reload an object the service changed in memory). Otherwise, and on GET, return None."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        result = save(dict(form.cleaned_data))
    except ValidationError as exc:
        if refused is not None:
            refused()
        add_errors(form, exc)
        return None
    return True if result is None else result


def error_messages(exc: ValidationError) -> dict[str, str]:
    """A service's ValidationError as {field: one sentence}; errors that belong to no field are
    under NON_FIELD_ERRORS ("__all__"). For pages that show errors without a Django form (forms
    use core.validation.save_if_valid, which puts them beside the fields)."""
    if hasattr(exc, "error_dict"):
        return {
            field: " ".join(m for error in errors for m in error.messages) for field, errors in exc.error_dict.items()
        }
    return {NON_FIELD_ERRORS: " ".join(exc.messages)}


def error_text(exc: ValidationError) -> str:
    """The whole error as one message, e.g. for a notice at the top of the page."""
    return " ".join(error_messages(exc).values())


def clean_text(value, field: str, errors: dict, *, one_line: bool = False) -> str:
    """For services: strip surrounding whitespace, normalise line endings and refuse control
    characters (line breaks too, for one-line fields). The error goes under the field's key in
    `errors`; lengths are left to full_clean."""
    from .validators import no_control_characters, single_line

    text = "" if value is None else str(value)
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    try:
        (single_line if one_line else no_control_characters)(text)
    except ValidationError as error:
        errors.setdefault(field, error.messages[0])
    return text


def raise_if(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


def full_clean_into(instance, errors: dict, whole: str = "name", exclude=()) -> None:
    """Run the model's checks on the fields without an error yet, add theirs (one message per
    field; errors about several fields go under `whole`), and raise if there are any."""
    try:
        instance.full_clean(exclude=[*errors, *exclude])
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field if field != "__all__" else whole, messages[0])
    raise_if(errors)
