"""The user's own choice, in Wagtail's account settings, of how the admin first
shows media behind a content warning (admin/warned_media.py)."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.views.account import BaseSettingsPanel

from wagtail_evidence.editorial.permissions import evidence_permission_policy
from wagtail_evidence.models import AdminPreferences


class WarnedMediaPreferenceForm(forms.ModelForm):
    class Meta:
        model = AdminPreferences
        fields = ["warned_media"]
        widgets = {"warned_media": forms.RadioSelect}


class WarnedMediaSettingsPanel(BaseSettingsPanel):
    name = "wagtail_evidence_warned_media"
    title = _("Warned media")
    order = 460  # after Wagtail's theme preferences, on the profile tab
    form_class = WarnedMediaPreferenceForm

    def is_active(self):
        # Only people who work on evidence see its media in the admin.
        return evidence_permission_policy.user_may_work_on_evidence(self.user)

    def get_form(self):
        # This user's own row, or a new one: the form saves it for them alone.
        instance = AdminPreferences.objects.filter(user=self.user).first()
        kwargs = {
            "instance": instance or AdminPreferences(user=self.user),
            "prefix": self.name,
        }
        # Bound only when the choice is posted, as Wagtail's password panel is: a
        # settings form posted without it (another panel's test, an older page)
        # still saves the rest.
        if self.request.method == "POST" and any(
            key.startswith(f"{self.name}-") for key in self.request.POST
        ):
            return self.form_class(self.request.POST, **kwargs)
        return self.form_class(**kwargs)
