from django.urls import path

from wagtail_evidence.admin.views.exchange import ExportView, ImportView
from wagtail_evidence.admin.views.register import EvidenceRegisterView
from wagtail_evidence.admin.views.sources import SourcesView
from wagtail_evidence.admin.views.warned_images import warned_images_view


app_name = "wagtail_evidence"
urlpatterns = [
    path("register/", EvidenceRegisterView.as_view(), name="register"),
    path(
        "register/results/",
        EvidenceRegisterView.as_view(results_only=True),
        name="register_results",
    ),
    path("import/", ImportView.as_view(), name="import"),
    path("export/", ExportView.as_view(), name="export"),
    path("warned-images/", warned_images_view, name="warned_images"),
    path("<int:pk>/sources/", SourcesView.as_view(), name="sources"),
]
