"""Report kinds built by apps further down the import chain (compliance): each registers, from its
AppConfig.ready(), the function that prints the PDF of its kind. The report's row, its progress,
its errors and its download stay those of ``reporting`` (design.md, Jobs)."""

_builders = {}


def register(kind, builder):
    """``builder(report, on, progress)`` returns the PDF as bytes; ``progress(percent)`` records
    how far it went."""
    _builders[kind] = builder
    return builder


def builder_for(kind):
    """The registered builder of ``kind``, or None for the kinds ``reporting`` builds itself."""
    return _builders.get(kind)
