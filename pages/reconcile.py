"""Declared versus documented: each figure SMG declares (a key figure, with its source) beside the count
of published rows this site holds for the same thing, as sectors show their declared and documented cases.

A measure finds its declared figure by the key figure's slug; a measure whose key figure is absent shows
the documented count alone and says that no declared figure is on record.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from core.content import Status
from projects.models import City, Country, KeyFigure, Relationship
from rankings.models import HostedOrganization


def sister_cities():
    return City.objects.published().filter(relationship=Relationship.SISTER).count()


def friendship_cities():
    return City.objects.published().filter(relationship=Relationship.FRIENDSHIP).count()


def countries_reached():
    """Countries where a published case took place."""
    return Country.objects.filter(cases__status=Status.PUBLISHED).distinct().count()


def cities_reached():
    """Published cities that a published case names."""
    return City.objects.published().filter(cases__status=Status.PUBLISHED).distinct().count()


def organizations():
    return HostedOrganization.objects.published().count()


@dataclass(frozen=True)
class Measure:
    key: str  # what a template asks for
    figure_slug: str  # the KeyFigure that holds SMG's declared figure
    label: str
    documented: object  # () -> the number of published rows


MEASURES = {
    measure.key: measure
    for measure in [
        Measure(
            "organizations", "international-organizations", _("International organizations in Seoul"), organizations
        ),
        Measure("sister-cities", "sister-cities", _("Sister cities"), sister_cities),
        Measure("friendship-cities", "friendship-cities", _("Friendship cities"), friendship_cities),
        Measure("countries", "countries", _("Countries Seoul's policies reached"), countries_reached),
        Measure("cities", "cities", _("Cities Seoul's policies reached"), cities_reached),
    ]
}


@dataclass(frozen=True)
class Reconciled:
    key: str
    label: str
    figure: object  # the KeyFigure with the declared value and its source, or None
    documented: int


def reconcile(*keys):
    """[Reconciled] for the measures named (all of them, in their order, when none is named)."""
    measures = [MEASURES[key] for key in keys] if keys else list(MEASURES.values())
    figures = KeyFigure.objects.in_bulk([measure.figure_slug for measure in measures], field_name="slug")
    return [
        Reconciled(measure.key, measure.label, figures.get(measure.figure_slug), measure.documented())
        for measure in measures
    ]
