"""The layout of the data set in ``fixtures/``: which file holds which models, in the order they load."""

# The shipped data set, in fixtures/ (settings.FIXTURE_DIRS), in the order it loads.
FIXTURE_NAMES = ("countries", "cities", "sectors", "cases", "key_figures", "rankings", "organizations")

# fixtures/<name>.json: the models each file holds, in the order they are written.
FIXTURE_LAYOUT = {
    "countries": ("projects.country",),
    "cities": ("projects.city",),
    "sectors": ("projects.sector", "projects.casecategory"),
    "cases": ("projects.case",),
    "key_figures": ("projects.keyfigure",),
    "rankings": ("rankings.rankingindex", "rankings.rankingresult"),
    "organizations": ("rankings.hostedorganization",),
}
