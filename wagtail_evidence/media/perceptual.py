"""Perceptual hashes (PDQ) of images and of a video's key frames.

PDQ is the 256-bit hash Meta published for matching images at scale, the one
Bellingcat's auto-archiver stores; ``pdqhash`` binds its reference C++ code.
It is an optional extra, ``pip install "wagtail-evidence[fingerprints]"``:
without it, nothing is hashed and the admin says that near-duplicate checks
are off. Key frames are read with ffmpeg, where the server has it.
"""

import logging
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, UnidentifiedImageError


try:
    import numpy
    import pdqhash
except ImportError:  # the extra is not installed: checks are off
    numpy = pdqhash = None

logger = logging.getLogger(__name__)

# PDQ works on a 512-pixel image at most: scaling first costs nothing in
# accuracy and keeps a large original fast to hash.
HASHED_SIZE = (512, 512)
VIDEO_EXTENSIONS = frozenset(
    {"mp4", "m4v", "mov", "webm", "mkv", "avi", "3gp", "mpg", "mpeg", "ts", "ogv"}
)
FFMPEG_TIMEOUT = 120  # seconds for one video's key frames


@dataclass(frozen=True)
class Hash:
    hex: str  # 64 hexadecimal digits
    quality: int  # 0-100


def hashing_available():
    return pdqhash is not None


def ffmpeg_path():
    return shutil.which("ffmpeg")


def hash_picture(picture):
    """The PDQ hash of a Pillow image."""
    picture = picture.convert("RGB")
    picture.thumbnail(HASHED_SIZE)
    vector, quality = pdqhash.compute(numpy.asarray(picture))
    bits = "".join("1" if bit else "0" for bit in vector)
    return Hash(hex=f"{int(bits, 2):064x}", quality=int(quality))


def hash_image_file(handle):
    """The PDQ hash of the image in an open file, or None when it is not an
    image Pillow reads."""
    try:
        with Image.open(handle) as picture:
            picture.draft("RGB", HASHED_SIZE)  # JPEG: decode at a smaller scale
            return hash_picture(picture)
    except (UnidentifiedImageError, OSError, ValueError) as error:
        logger.warning("Not hashed, not a readable image: %s", error)
        return None


def is_video_name(name):
    return Path(name or "").suffix.lower().lstrip(".") in VIDEO_EXTENSIONS


def key_frame_hashes(handle, limit):
    """PDQ hashes of up to ``limit`` key frames of the video in an open file,
    read by ffmpeg (which only decodes the key frames: seconds, not minutes).
    An empty list when ffmpeg is missing or cannot read the file."""
    ffmpeg = ffmpeg_path()
    if ffmpeg is None:
        return []
    with tempfile.TemporaryDirectory(prefix="evidence-frames-") as folder:
        video = Path(folder) / "video"
        with video.open("wb") as copy:
            shutil.copyfileobj(handle, copy, 1024 * 1024)
        command = [
            ffmpeg,
            "-nostdin",
            "-v",
            "error",
            "-skip_frame",
            "nokey",
            "-i",
            str(video),
            "-vsync",
            "vfr",
            "-frames:v",
            str(limit),
            str(Path(folder) / "frame-%03d.png"),
        ]
        try:
            subprocess.run(  # noqa: S603  a fixed command; the file is ours
                command, check=True, capture_output=True, timeout=FFMPEG_TIMEOUT
            )
        except (subprocess.SubprocessError, OSError) as error:
            logger.warning("ffmpeg could not read key frames: %s", error)
            return []
        hashes = []
        for frame in sorted(Path(folder).glob("frame-*.png")):
            with frame.open("rb") as picture:
                found = hash_image_file(picture)
            if found is not None:
                hashes.append(found)
        return hashes
