"""The site's corrections listing: every change the desk made to published
evidence, after an article citing it went live, newest first."""

from django.views.generic import TemplateView

from wagtail_evidence.reader.corrections import recent_corrections


class CorrectionsView(TemplateView):
    """Mount it with the site's base template (docs/how-to/corrections.md)::

    path("corrections/", CorrectionsView.as_view(base_template="base.html"))
    """

    template_name = "wagtail_evidence/pages/corrections.html"
    base_template = "base.html"  # extended by template_name; its block "content"
    limit = 50

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "base_template": self.base_template,
            "corrections": recent_corrections(self.limit),
        }
