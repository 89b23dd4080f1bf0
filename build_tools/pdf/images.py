"""Images for print: raster images downsampled to 300 ppi at their printed size, and cached.

WeasyPrint embeds a raster image with every pixel it has, so a 50-megapixel photo printed 15 cm
wide would put all 50 megapixels into the PDF. The PDF step calls :func:`fit_for_print` on each
image with the largest pixel size that can show at :data:`PRINT_PPI`, and points the page at the
path it returns. Pure functions of files: nothing here knows Sphinx or WeasyPrint.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import tempfile
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from PIL import ExifTags, Image, ImageCms, ImageFile, UnidentifiedImageError

#: Pixels per inch at which images are printed.
PRINT_PPI = 300

_MM_PER_INCH = 25.4
# Part of every cache key: bump it whenever the same input would now give different output bytes,
# so that files written by an older version are not reused.
_FORMAT_VERSION = 1
_JPEG_QUALITY = 90
# Pillow's default for thumbnail(): shrink by a whole factor (cheap box average) while the image
# stays at least twice the target, then LANCZOS the rest; the result is indistinguishable from a
# full LANCZOS pass at a fraction of the time and memory.
_REDUCING_GAP = 2
_CACHED_NAME = re.compile(r"(?P<key>[0-9a-f]{32})-(?P<width>\d+)x(?P<height>\d+)\.(?:png|jpg)")
# EXIF orientation → the transposition that makes the image upright (as ImageOps.exif_transpose).
_UPRIGHT = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
_SWAPS_AXES = {5, 6, 7, 8}
_GREY_MODES = {"1", "L", "LA", "La", "I", "I;16", "I;16L", "I;16B", "I;16N", "F"}


class ImageProblem(Exception):
    """An image that cannot be fitted for print: unreadable, not an image, damaged or too large.

    :param path: the source image, for the caller's located diagnostic
    :param reason: what is wrong, in a phrase
    """

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class _UnusableProfile(Exception):
    """An embedded colour profile that littlecms cannot use; _image_problems names the file."""


@dataclass(frozen=True)
class FittedImage:
    """The file to put in the PDF: the source itself, or a downsampled copy in the cache.

    ``width`` and ``height`` are the pixel size as displayed (EXIF orientation applied); both are
    0 for an SVG, which has no pixel size. ``downsampled`` tells whether ``path`` is a copy.
    """

    path: Path
    width: int
    height: int
    downsampled: bool


def pixels_for(length_mm: float, ppi: int = PRINT_PPI) -> int:
    """The number of pixels that a printed length holds at ``ppi`` (150 mm → 1772 at 300 ppi)."""
    if length_mm <= 0 or ppi <= 0:
        raise ValueError(f"length and resolution must be positive, not {length_mm} mm, {ppi} ppi")
    return max(1, round(length_mm * ppi / _MM_PER_INCH))


def fit_for_print(
    source: Path, cache_dir: Path, max_width_px: int, max_height_px: int
) -> FittedImage:
    """``source`` if it fits ``max_width_px`` × ``max_height_px``, else a cached smaller copy.

    The copy keeps the aspect ratio and touches the box on one side, is upright (EXIF orientation
    applied), in sRGB or grey, a JPEG (quality 90) if the source is a JPEG and a PNG otherwise.
    It is named by a hash of the source bytes and the box, so a later call with the same input
    finds it without decoding anything. An SVG is returned as it is.

    :param source: the image file
    :param cache_dir: where copies are kept between builds; created if missing
    :raises ImageProblem: if the source cannot be read, is not an image Pillow knows, is damaged
        or truncated, or has more pixels than ``PIL.Image.MAX_IMAGE_PIXELS``
    """
    if max_width_px < 1 or max_height_px < 1:
        raise ValueError(f"the box must be at least 1×1, not {max_width_px}×{max_height_px}")
    if source.suffix.lower() == ".svg":
        return FittedImage(source, 0, 0, downsampled=False)
    box = (max_width_px, max_height_px)
    with _image_problems(source):
        key = _cache_key(source, box)
        cached = _cached(cache_dir, key)
        if cached is not None:
            return cached
        with open(source, "rb") as file, Image.open(file) as image:
            orientation = _orientation(image)
            raw_box = box[::-1] if orientation in _SWAPS_AXES else box
            if image.width <= raw_box[0] and image.height <= raw_box[1]:
                # Decode it all the same, so a damaged file fails here rather than in WeasyPrint.
                image.load()
                width, height = _upright_size(image.size, orientation)
                return FittedImage(source, width, height, downsampled=False)
            fitted, image_format = _downsampled(image, raw_box, orientation)
    return _store(fitted, image_format, cache_dir, key)


@contextmanager
def _image_problems(source: Path) -> Iterator[None]:
    """Turn what Pillow raises for a bad file, and its bomb warning, into ImageProblem."""
    with warnings.catch_warnings(), _truncated_files_refused():
        # Pillow only warns between MAX_IMAGE_PIXELS and twice that; we refuse both.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            yield
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
            raise ImageProblem(source, f"too many pixels to decode safely: {error}") from error
        except UnidentifiedImageError as error:
            raise ImageProblem(source, "not an image format Pillow can read") from error
        except (OSError, SyntaxError, EOFError) as error:
            # OSError covers a missing file and "image file is truncated"; Pillow's plugins raise
            # SyntaxError and EOFError for damaged data.
            raise ImageProblem(source, f"cannot be read or is damaged: {error}") from error
        except _UnusableProfile as error:
            raise ImageProblem(source, f"its colour profile is unusable: {error}") from error


@contextmanager
def _truncated_files_refused() -> Iterator[None]:
    """Pillow's ``LOAD_TRUNCATED_IMAGES`` off for the duration, then as it was.

    WeasyPrint turns this process-wide switch on when imported, after which Pillow fills the
    missing part of a truncated file with grey instead of failing; that is exactly the failure a
    build must not hide. Like ``warnings.catch_warnings``, this is not safe while another thread
    decodes images.
    """
    before = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        yield
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = before


def _cache_key(source: Path, box: tuple[int, int]) -> str:
    """A hash of the source's bytes, the box and the output format version."""
    salt = f"fit_for_print v{_FORMAT_VERSION} {box[0]}x{box[1]}\n".encode()
    with open(source, "rb") as file:
        digest = hashlib.file_digest(file, lambda: hashlib.sha256(salt))
    return digest.hexdigest()[:32]


def _cached(cache_dir: Path, key: str) -> FittedImage | None:
    """The copy made earlier for ``key``, read from its name alone; None if there is none."""
    for path in cache_dir.glob(f"{key}-*"):
        match = _CACHED_NAME.fullmatch(path.name)
        if match:
            return FittedImage(path, int(match["width"]), int(match["height"]), downsampled=True)
    return None


def _orientation(image: Image.Image) -> int:
    """The EXIF orientation, 1 (upright) if absent or out of range."""
    orientation = image.getexif().get(ExifTags.Base.Orientation, 1)
    return orientation if orientation in _UPRIGHT else 1


def _upright_size(size: tuple[int, int], orientation: int) -> tuple[int, int]:
    return (size[1], size[0]) if orientation in _SWAPS_AXES else size


def _fitted_size(size: tuple[int, int], box: tuple[int, int]) -> tuple[int, int]:
    """The largest size with ``size``'s aspect ratio inside ``box``, exact on the binding side."""
    (width, height), (box_width, box_height) = size, box
    if width * box_height >= height * box_width:
        return box_width, max(1, round(height * box_width / width))
    return max(1, round(width * box_height / height)), box_height


def _downsampled(
    image: ImageFile.ImageFile, raw_box: tuple[int, int], orientation: int
) -> tuple[Image.Image, str]:
    """The image shrunk into ``raw_box`` (stored orientation), upright and in sRGB or grey.

    :returns: the new image and the format to save it in
    """
    target = _fitted_size(image.size, raw_box)
    is_jpeg = image.format in ("JPEG", "MPO")
    if is_jpeg:
        # libjpeg can decode at 1/2, 1/4 or 1/8 scale, which saves most of the memory and time
        # of a big photo; ask for no less than the reducing gap needs.
        image.draft(None, (target[0] * _REDUCING_GAP, target[1] * _REDUCING_GAP))
    image.load()
    profile = image.info.get("icc_profile")
    resized = _resizable(image).resize(
        target, Image.Resampling.LANCZOS, reducing_gap=_REDUCING_GAP
    )
    fitted = _in_srgb(resized, profile)
    if orientation in _UPRIGHT:
        fitted = fitted.transpose(_UPRIGHT[orientation])
    # No metadata is carried over: the orientation is applied, the profile converted, and text
    # chunks or comments would only make the bytes depend on more than the pixels.
    fitted.info = {}
    image_format = "JPEG" if is_jpeg and fitted.mode in ("RGB", "L") else "PNG"
    return fitted, image_format


def _resizable(image: Image.Image) -> Image.Image:
    """The image in a mode that LANCZOS can resize and a PDF can hold with 8-bit samples.

    Palettes and bilevel images become RGB(A) or L(A), so they are resampled rather than
    resized nearest-neighbour; 16-bit grey is scaled to 8 bits; CMYK is left for ``_in_srgb``.
    """
    if image.mode == "CMYK":
        return image
    if image.mode.startswith("I"):
        # Pillow's I;16 → L clips everything above 255; scale the 16-bit range down instead.
        return image.convert("I").point(lambda value: value * (1 / 256)).convert("L")
    bands = image.getbands()
    has_alpha = "A" in bands or "a" in bands or "transparency" in image.info
    if image.mode in _GREY_MODES:
        mode = "LA" if has_alpha else "L"
    else:
        mode = "RGBA" if has_alpha else "RGB"
    return image if image.mode == mode else image.convert(mode)


def _in_srgb(image: Image.Image, profile: bytes | None) -> Image.Image:
    """RGB(A) and CMYK images converted to sRGB through their embedded colour profile, if any.

    WeasyPrint writes every image as DeviceRGB, DeviceGray or DeviceCMYK and drops its profile, so
    the conversion has to happen here; CMYK becomes RGB either way, so no Adobe-inverted CMYK JPEG
    reaches the PDF.
    """
    if image.mode == "CMYK" and not profile:
        return image.convert("RGB")
    if image.mode not in ("CMYK", "RGB", "RGBA") or not profile:
        return image
    try:
        return ImageCms.profileToProfile(
            image,
            ImageCms.ImageCmsProfile(io.BytesIO(profile)),
            _srgb_profile(),
            outputMode="RGB" if image.mode == "CMYK" else image.mode,
        )
    except (OSError, ImageCms.PyCMSError) as error:
        # Pillow raises OSError for a profile it cannot parse, PyCMSError for one that does not
        # fit the image; neither is a file that cannot be read.
        raise _UnusableProfile(str(error)) from error


@cache
def _srgb_profile() -> ImageCms.ImageCmsProfile:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


def _store(image: Image.Image, image_format: str, cache_dir: Path, key: str) -> FittedImage:
    """Write ``image`` into the cache under ``key`` atomically, so no reader sees half a file."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    suffix = ".jpg" if image_format == "JPEG" else ".png"
    path = cache_dir / f"{key}-{image.width}x{image.height}{suffix}"
    # The dot prefix keeps a partial file out of _cached's glob, even one left by a crash.
    descriptor, partial = tempfile.mkstemp(dir=cache_dir, prefix=".partial-", suffix=suffix)
    try:
        with os.fdopen(descriptor, "wb") as file:
            if image_format == "JPEG":
                image.save(file, format="JPEG", quality=_JPEG_QUALITY)
            else:
                image.save(file, format="PNG")
        # mkstemp makes the file private; the cache is no more secret than the book.
        os.chmod(partial, 0o644)
        os.replace(partial, path)
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise
    return FittedImage(path, image.width, image.height, downsampled=True)


def upright_pixels(source: Path) -> tuple[int, int]:
    """The pixel size of ``source`` as displayed (EXIF orientation applied), from its header.

    :raises ImageProblem: if it cannot be read or is not an image Pillow knows
    """
    with _image_problems(source), open(source, "rb") as file, Image.open(file) as image:
        return _upright_size(image.size, _orientation(image))
