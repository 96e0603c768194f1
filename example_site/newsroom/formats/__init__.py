"""The demo newsroom's date formats (FORMAT_MODULE_PATH): its English is
written day first ("25 September 2020"), so what the package writes in
English reads the same as the articles' text. French and Arabic keep
Django's own formats, which already put the day first."""
