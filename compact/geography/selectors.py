import datetime as dt

from django.db.models import Case, Q, Value, When

from .models import Area, AreaKind


def areas_valid_on(day: dt.date | None = None):
    day = day or dt.date.today()
    return Area.objects.filter(
        Q(valid_from__isnull=True) | Q(valid_from__lte=day),
        Q(valid_to__isnull=True) | Q(valid_to__gte=day),
    )


def place_choices():
    """Areas people pick as 'places': ICBs valid today first, then boroughs."""
    icbs_first = Case(When(kind=AreaKind.ICB, then=Value(0)), default=Value(1))
    return areas_valid_on().filter(kind__in=[AreaKind.ICB, AreaKind.BOROUGH]).order_by(icbs_first, "name")
