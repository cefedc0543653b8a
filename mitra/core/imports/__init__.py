"""Generic import of CSV and XLSX files into any app (parties, leads…).

An app subclasses `Importer` (see base.py), then mounts `ImportSite(...).urls()` in its
URLconf. Large files run in the background (`mitra worker`) with progress on an ImportJob.
"""
