"""The images that are the poster of a warned record, for the script that
covers them in Wagtail's own image listings and chooser (admin/warned_media.py).
Open to every admin user: whoever browses the images sees them covered."""

from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from wagtail_evidence.admin.warned_media import warned_images


@never_cache
@require_GET
def warned_images_view(request):
    return JsonResponse(warned_images(request.user))
