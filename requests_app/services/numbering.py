"""Gap-free yearly sequences per OPD (registration numbers, objection numbers)."""

from django.db import IntegrityError, models, transaction


def sequence_next(*, counter_model: type[models.Model], opd, year: int) -> int:
    """Lock the OPD's counter row for the year and take the next number. Must run inside a transaction:
    a rollback gives the number back, so numbers have no gaps. `counter_model` has opd, year, last_value
    and a unique (opd, year) constraint."""
    counter = counter_model.objects.select_for_update().filter(opd=opd, year=year).first()
    if counter is None:
        try:
            with transaction.atomic():
                counter_model.objects.create(opd=opd, year=year, last_value=0)
        except IntegrityError:
            pass  # another transaction created it first; lock theirs
        counter = counter_model.objects.select_for_update().get(opd=opd, year=year)
    counter.last_value += 1
    counter.save(update_fields=["last_value"])
    return counter.last_value
