"""Static files in production: collectstatic's content-hashed, compressed copies (settings.STATIC_MANIFEST)."""

from __future__ import annotations

from whitenoise.storage import CompressedManifestStaticFilesStorage


class ManifestStorage(CompressedManifestStaticFilesStorage):  # type: ignore[misc]  # whitenoise has no types
    """WhiteNoise's hashed and compressed files, with the ``import ... from "./feed.js"`` lines of the ES modules
    rewritten to hashed names as well. Without that, a page's hashed module (cached forever) would import the
    unhashed one, which the browser may still hold from before an upgrade."""

    support_js_module_import_aggregation = True
