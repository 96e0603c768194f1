"""Recycled footage: which records have media that looks like another's.

Each image a record shows (the poster, an original file that is an image) is
hashed when it is attached, in the save that attaches it: a fraction of a
second. Key frames of a video (the self-hosted video, an original file that is
a video) take seconds of ffmpeg, so they are hashed by a task, enqueued when
the transaction commits, as the purge is (purge.py): off the editor's request
where the project runs a task worker.

Finding the records a hash is near, among 100,000, is multi-index hashing:
the 256-bit hash is cut into CHUNKS = 16 chunks of 16 bits, each stored in an
indexed column (models/fingerprints.py). Two hashes at Hamming distance D
differ by d_1 + ... + d_16 = D bits, chunk by chunk. If every chunk differed
by more than r bits, D would be at least 16 * (r + 1); so when D <= T, some
chunk differs by at most r = T // 16 bits (pigeonhole). The lookup asks, for
each chunk, every 16-bit value within r bits of the record's own: 1 value for
r = 0 (T <= 15), 1 + 16 = 17 for r = 1 (T <= 31), 1 + 16 + 120 = 137 for
r = 2 (T <= 47). Every hash within T shares at least one of those values, so
one query whose 16 IN lists are answered from the 16 indexes finds them all,
with a few chance candidates (random hashes share one of the 16 * 17 values
with odds of about 272 / 65,536: some 400 rows among 100,000), which the exact
distance, in Python, then sorts out. The default threshold, 31, is the one PDQ's
authors recommend for matching; larger ones are refused (conf.py).
"""

import logging
from itertools import combinations

from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.models import Q
from django_tasks import task
from wagtail.images import get_image_model

from wagtail_evidence.conf import get_setting
from wagtail_evidence.media import perceptual
from wagtail_evidence.models.evidence import Evidence
from wagtail_evidence.models.fingerprints import (
    CHUNK_BITS,
    CHUNK_FIELDS,
    CHUNKS,
    MediaFingerprint,
    MediaSource,
    NearDuplicate,
)


logger = logging.getLogger(__name__)

HASH_BITS = CHUNKS * CHUNK_BITS
CHUNK_MASK = (1 << CHUNK_BITS) - 1
LARGEST_THRESHOLD = CHUNKS * 3 - 1  # r = 2 at most: 137 values per chunk


def threshold():
    value = get_setting("NEAR_DUPLICATE_DISTANCE")
    if not isinstance(value, int) or not 0 <= value <= LARGEST_THRESHOLD:
        # Beyond 47, each chunk would need 697 probes, and matches that far
        # apart are mostly different pictures.
        raise ImproperlyConfigured(
            f"WAGTAIL_EVIDENCE['NEAR_DUPLICATE_DISTANCE'] must be a whole number "
            f"from 0 to {LARGEST_THRESHOLD}, not {value!r}."
        )
    return value


def probe_radius(distance):
    """How many bits a chunk may differ by, for the pigeonhole to hold at
    ``distance``: distance // 16 (module docstring)."""
    return distance // CHUNKS


def chunks_of(value):
    """The 16 chunks of a 256-bit hash, most significant first."""
    return [
        (value >> (HASH_BITS - CHUNK_BITS * (index + 1))) & CHUNK_MASK
        for index in range(CHUNKS)
    ]


def within_bits(chunk, radius):
    """Every 16-bit value that differs from ``chunk`` by at most ``radius`` bits."""
    values = {chunk}
    for flipped in range(1, radius + 1):
        for bits in combinations(range(CHUNK_BITS), flipped):
            mask = 0
            for bit in bits:
                mask |= 1 << bit
            values.add(chunk ^ mask)
    return values


def distance_between(first, second):
    return (first ^ second).bit_count()


def fingerprint(evidence_id, source, source_key, found, frame=None):
    """An unsaved row for the hash ``found``, with its chunks."""
    chunks = chunks_of(int(found.hex, 16))
    return MediaFingerprint(
        evidence_id=evidence_id,
        source=source,
        source_key=source_key,
        frame=frame,
        pdq=found.hex,
        quality=found.quality,
        **dict(zip(CHUNK_FIELDS, chunks, strict=True)),
    )


def comparable(hashes):
    """The hashes, as integers, that say enough to be compared."""
    minimum = get_setting("NEAR_DUPLICATE_MIN_QUALITY")
    return [int(row.pdq, 16) for row in hashes if row.quality >= minimum]


def records_near(hashes, exclude_evidence_id=None):
    """{record id: smallest distance} of the records with a hash within the
    threshold of one of ``hashes`` (MediaFingerprint rows, saved or not).
    One query, whatever the number of records."""
    own = comparable(hashes)
    if not own:
        return {}
    limit = threshold()
    radius = probe_radius(limit)
    probes = [set() for _ in range(CHUNKS)]
    for value in own:
        for index, chunk in enumerate(chunks_of(value)):
            probes[index] |= within_bits(chunk, radius)
    any_chunk = Q()
    for name, values in zip(CHUNK_FIELDS, probes, strict=True):
        any_chunk |= Q(**{f"{name}__in": sorted(values)})
    candidates = MediaFingerprint.objects.filter(
        any_chunk, quality__gte=get_setting("NEAR_DUPLICATE_MIN_QUALITY")
    )
    if exclude_evidence_id is not None:
        # A record's own media never flags it, a poster that is also its original file included.
        candidates = candidates.exclude(evidence_id=exclude_evidence_id)
    found = {}
    # Not .iterator(): on PostgreSQL it opens a server-side cursor, planned for
    # its first rows (a scan), where the few candidates want the indexes.
    for evidence_id, pdq in candidates.values_list("evidence_id", "pdq"):
        value = int(pdq, 16)
        distance = min(distance_between(value, mine) for mine in own)
        if distance <= limit and distance < found.get(evidence_id, HASH_BITS + 1):
            found[evidence_id] = distance
    return found


def refresh_near_duplicates(evidence_id):
    """Flag the pairs that ``evidence_id``'s media forms with other records',
    both ways, afresh. Four queries."""
    near = records_near(
        MediaFingerprint.objects.filter(evidence_id=evidence_id), evidence_id
    )
    with transaction.atomic():
        NearDuplicate.objects.filter(
            Q(evidence_id=evidence_id) | Q(other_id=evidence_id)
        ).delete()
        NearDuplicate.objects.bulk_create(
            [
                NearDuplicate(evidence_id=one, other_id=two, distance=distance)
                for other_id, distance in sorted(near.items())
                for one, two in ((evidence_id, other_id), (other_id, evidence_id))
            ],
            ignore_conflicts=True,  # the other record's own refresh, at the same moment
        )
    return near


# What is hashed from each of a record's media fields.


def source_key(kind, item):
    return f"{kind}:{item.pk}:{item.file_hash or item.file.name}"


def media_sources(evidence):
    """[(source, key, item, is_video)] for each media file the record has."""
    sources = []
    if evidence.poster_id:
        poster = evidence.poster
        sources.append((MediaSource.POSTER, source_key("image", poster), poster, False))
    for source in (MediaSource.ORIGINAL_FILE, MediaSource.VIDEO_FILE):
        if getattr(evidence, f"{source}_id"):
            document = getattr(evidence, source)
            is_video = source == MediaSource.VIDEO_FILE or perceptual.is_video_name(
                document.file.name
            )
            sources.append(
                (source, source_key("document", document), document, is_video)
            )
    return sources


def refresh_fingerprints(sender, instance, raw=False, **kwargs):
    """post_save of Evidence: hash the images newly attached, enqueue the key
    frames of videos newly attached, forget the media no longer attached, and
    refresh the record's flags when anything changed. Nothing to do, and no
    query, when the same object is saved again with the same media."""
    if raw or not perceptual.hashing_available():
        return
    sources = media_sources(instance)
    wanted = {(source, key) for source, key, _item, _video in sources}
    if instance.__dict__.get("_fingerprinted") == wanted:
        return
    if not sources:
        # A record created just now has no rows to forget.
        changed = not kwargs.get("created") and bool(
            MediaFingerprint.objects.filter(evidence_id=instance.pk).delete()[0]
        )
    else:
        changed = sync(instance, sources, wanted)
    instance.__dict__["_fingerprinted"] = wanted
    if changed:
        refresh_near_duplicates(instance.pk)
        instance.__dict__["_near_duplicates_refreshed"] = True  # the admin warns


def rehash_replaced_file(sender, instance, raw=False, **kwargs):
    """post_save of an image or a document: a file replaced under the same
    image or document is hashed again for the records that show it."""
    if raw or not perceptual.hashing_available():
        return
    if sender is get_image_model():
        showing = Q(poster=instance.pk)
    else:
        showing = Q(original_file=instance.pk) | Q(video_file=instance.pk)
    for record in Evidence.objects.filter(showing):
        refresh_fingerprints(Evidence, record)


def sync(evidence, sources, wanted):
    """Bring the record's fingerprints in line with its media; whether any
    row was added or removed."""
    rows = MediaFingerprint.objects.filter(evidence_id=evidence.pk)
    have = set(rows.values_list("source", "source_key").distinct())
    stale = have - wanted
    changed = False
    if stale:
        gone = Q()
        for source, key in stale:
            gone |= Q(source=source, source_key=key)
        changed = bool(rows.filter(gone).delete()[0])
    new = []
    for source, key, item, is_video in sources:
        if (source, key) in have:
            continue
        if is_video:
            if perceptual.ffmpeg_path() is not None:
                enqueue_key_frames(evidence.pk, source, key)
            continue
        with item.open_file() as handle:
            found = perceptual.hash_image_file(handle)
        if found is not None:
            new.append(fingerprint(evidence.pk, source, key, found))
    if new:
        MediaFingerprint.objects.bulk_create(new)
    return changed or bool(new)


def enqueue_key_frames(evidence_id, source, key):
    transaction.on_commit(
        lambda: hash_key_frames.enqueue(evidence_id, str(source), key)
    )


@task()
def hash_key_frames(evidence_id, source, key):
    """Hash the key frames of the video ``source`` of a record, if it is still
    the file named by ``key``; return how many frames were hashed."""
    evidence = Evidence.objects.filter(pk=evidence_id).first()
    if evidence is None or not perceptual.hashing_available():
        return 0
    current = {
        (kind, found_key): item for kind, found_key, item, _ in media_sources(evidence)
    }
    document = current.get((source, key))
    if document is None:
        return 0  # replaced or removed since: its own save took care of it
    with document.open_file() as handle:
        hashes = perceptual.key_frame_hashes(
            handle, get_setting("NEAR_DUPLICATE_KEY_FRAMES")
        )
    with transaction.atomic():
        MediaFingerprint.objects.filter(
            evidence_id=evidence_id, source=source, source_key=key
        ).delete()
        MediaFingerprint.objects.bulk_create(
            [
                fingerprint(evidence_id, source, key, found, frame=number)
                for number, found in enumerate(hashes, start=1)
            ]
        )
        refresh_near_duplicates(evidence_id)
    return len(hashes)
