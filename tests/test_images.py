"""Images fitted for print: what is left alone, what is shrunk, how, what is cached, what fails."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest
from PIL import Image, ImageCms, ImageFile

from build_tools.pdf.images import PRINT_PPI, FittedImage, ImageProblem, fit_for_print, pixels_for

BLUE, RED = (0, 0, 255), (255, 0, 0)
EXIF_ORIENTATION = 0x0112


def _saved(image: Image.Image, path: Path, **params) -> Path:
    image.save(path, **params)
    return path


def _photo(path: Path, size: tuple[int, int] = (600, 400), **params) -> Path:
    """A gradient, so that resampling has something to do and JPEG is not trivially flat."""
    return _saved(Image.linear_gradient("L").resize(size).convert("RGB"), path, **params)


def _opened(path: Path) -> Image.Image:
    with Image.open(path) as image:
        image.load()
        return image


def _png_chunk_types(data: bytes) -> list[bytes]:
    kinds, offset = [], 8
    while offset < len(data):
        (length,) = struct.unpack(">I", data[offset : offset + 4])
        kinds.append(data[offset + 4 : offset + 8])
        offset += 12 + length
    return kinds


def test_pixels_for_a_printed_length():
    assert PRINT_PPI == 300
    assert pixels_for(150) == 1772
    assert pixels_for(25.4) == 300
    assert pixels_for(25.4, ppi=96) == 96
    with pytest.raises(ValueError):
        pixels_for(0)


def test_an_image_that_fits_is_returned_unchanged(tmp_path: Path):
    source = _photo(tmp_path / "图1.png", (300, 200))
    fitted = fit_for_print(source, tmp_path / "cache", 300, 200)
    assert fitted == FittedImage(source, 300, 200, downsampled=False)
    assert not (tmp_path / "cache").exists()


def test_a_wide_image_is_shrunk_to_exactly_the_maximum_width(tmp_path: Path):
    fitted = fit_for_print(_photo(tmp_path / "宽.png", (600, 400)), tmp_path / "cache", 150, 1000)
    assert (fitted.width, fitted.height, fitted.downsampled) == (150, 100, True)
    assert fitted.path.parent == tmp_path / "cache"
    assert _opened(fitted.path).size == (150, 100)


def test_a_tall_image_is_shrunk_to_exactly_the_maximum_height(tmp_path: Path):
    fitted = fit_for_print(_photo(tmp_path / "高.png", (400, 600)), tmp_path / "cache", 1000, 150)
    assert (fitted.width, fitted.height) == (100, 150)


def test_a_50_megapixel_jpeg_is_fitted_to_150_mm(tmp_path: Path):
    # About 0.5 s in all: libjpeg decodes it at half size (Image.draft) before resampling.
    source = _photo(tmp_path / "大.jpg", (8660, 5774))
    fitted = fit_for_print(source, tmp_path / "cache", pixels_for(150), pixels_for(250))
    assert (fitted.width, fitted.height) == (1772, 1181)
    assert _opened(fitted.path).format == "JPEG"


def test_a_second_call_reuses_the_cached_copy_without_decoding(tmp_path, monkeypatch):
    source = _photo(tmp_path / "a.png")
    first = fit_for_print(source, tmp_path / "cache", 150, 150)

    def no_decoding(*args, **kwargs):
        raise AssertionError("Image.open called on a cache hit")

    monkeypatch.setattr(Image, "open", no_decoding)
    assert fit_for_print(source, tmp_path / "cache", 150, 150) == first


def test_another_box_is_another_cache_entry(tmp_path: Path):
    source = _photo(tmp_path / "a.png")
    small = fit_for_print(source, tmp_path / "cache", 150, 150)
    smaller = fit_for_print(source, tmp_path / "cache", 60, 60)
    assert small.path != smaller.path
    assert (smaller.width, smaller.height) == (60, 40)


@pytest.mark.parametrize("name", ["a.png", "a.jpg"])
def test_output_bytes_are_deterministic(tmp_path: Path, name: str):
    source = _photo(tmp_path / name)
    one = fit_for_print(source, tmp_path / "one", 150, 150)
    two = fit_for_print(source, tmp_path / "two", 150, 150)
    assert one.path.name == two.path.name
    assert one.path.read_bytes() == two.path.read_bytes()


def test_a_png_copy_carries_no_metadata(tmp_path: Path):
    image = Image.linear_gradient("L").resize((600, 400)).convert("RGB")
    image.info["comment"] = "注释"
    source = _saved(image, tmp_path / "a.png", dpi=(72, 72))
    fitted = fit_for_print(source, tmp_path / "cache", 150, 150)
    assert _png_chunk_types(fitted.path.read_bytes()) == [b"IHDR", b"IDAT", b"IEND"]


def test_no_partial_file_is_left_when_writing_fails(tmp_path, monkeypatch):
    source = _photo(tmp_path / "a.png")

    def full_disk(*args, **kwargs):
        raise OSError("No space left on device")

    monkeypatch.setattr(Image.Image, "save", full_disk)
    with pytest.raises(OSError, match="No space left"):
        fit_for_print(source, tmp_path / "cache", 150, 150)
    assert list((tmp_path / "cache").iterdir()) == []


@pytest.mark.parametrize(
    ("size", "variant"), [((40, 30), "warning"), ((50, 50), "error")], ids=lambda v: str(v)
)
def test_a_decompression_bomb_is_refused(tmp_path, monkeypatch, size, variant):
    # Pillow warns above MAX_IMAGE_PIXELS (here 1000) and raises above twice that; both refuse.
    source = _saved(Image.new("RGB", size), tmp_path / "bomb.png")
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)
    with pytest.raises(ImageProblem, match="too many pixels") as caught:
        fit_for_print(source, tmp_path / "cache", 10, 10)
    assert caught.value.path == source


def test_a_file_that_is_not_an_image_is_a_problem(tmp_path: Path):
    source = tmp_path / "图.png"
    source.write_text("这不是图片", encoding="utf-8")
    with pytest.raises(ImageProblem, match="not an image format"):
        fit_for_print(source, tmp_path / "cache", 10, 10)


def test_a_missing_file_is_a_problem(tmp_path: Path):
    with pytest.raises(ImageProblem, match="No such file"):
        fit_for_print(tmp_path / "无.png", tmp_path / "cache", 10, 10)


@pytest.mark.parametrize("name", ["a.png", "a.jpg"])
@pytest.mark.parametrize("box", [(100, 100), (1000, 1000)], ids=["shrunk", "fits"])
def test_a_truncated_file_is_a_problem_even_after_weasyprint_allowed_them(
    tmp_path, monkeypatch, name, box
):
    # Importing WeasyPrint sets this process-wide; Pillow would then fill the gap with grey.
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)
    data = _photo(tmp_path / name).read_bytes()
    source = tmp_path / f"truncated-{name}"
    source.write_bytes(data[: len(data) // 2])
    with pytest.raises(ImageProblem, match="damaged"):
        fit_for_print(source, tmp_path / "cache", *box)
    assert ImageFile.LOAD_TRUNCATED_IMAGES is True


def test_an_unusable_colour_profile_is_a_problem(tmp_path: Path):
    source = _saved(Image.new("RGB", (300, 200)), tmp_path / "a.png", icc_profile=b"x" * 200)
    with pytest.raises(ImageProblem, match="colour profile"):
        fit_for_print(source, tmp_path / "cache", 100, 100)


def test_an_svg_is_returned_as_it_is(tmp_path: Path):
    source = tmp_path / "图.SVG"
    source.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="9000"/>', encoding="utf-8")
    assert fit_for_print(source, tmp_path / "cache", 10, 10) == FittedImage(source, 0, 0, False)


def _rotated_jpeg(path: Path) -> Path:
    """Stored 400×200 with a blue left half; EXIF orientation 6 shows it 200×400, blue on top."""
    image = Image.new("RGB", (400, 200), RED)
    image.paste(BLUE, (0, 0, 200, 200))
    exif = Image.Exif()
    exif[EXIF_ORIENTATION] = 6
    return _saved(image, path, exif=exif)


def test_exif_orientation_is_applied_to_the_copy(tmp_path: Path):
    fitted = fit_for_print(_rotated_jpeg(tmp_path / "a.jpg"), tmp_path / "cache", 100, 1000)
    assert (fitted.width, fitted.height) == (100, 200)
    copy = _opened(fitted.path)
    assert copy.size == (100, 200)
    assert EXIF_ORIENTATION not in copy.getexif()
    top, bottom = copy.getpixel((50, 20)), copy.getpixel((50, 180))
    assert top[2] > 240 and top[0] < 15
    assert bottom[0] > 240 and bottom[2] < 15


def test_an_image_that_fits_reports_its_upright_size(tmp_path: Path):
    source = _rotated_jpeg(tmp_path / "a.jpg")
    assert fit_for_print(source, tmp_path / "cache", 200, 400) == FittedImage(
        source, 200, 400, downsampled=False
    )


@pytest.mark.parametrize("name", ["a.png", "a.gif"])
def test_a_palette_image_with_transparency_stays_a_transparent_png(tmp_path: Path, name: str):
    image = Image.new("P", (300, 300), 0)
    image.putpalette([*RED, *BLUE])
    image.paste(1, (0, 0, 150, 300))
    source = _saved(image, tmp_path / name, transparency=0)
    fitted = fit_for_print(source, tmp_path / "cache", 100, 100)
    copy = _opened(fitted.path)
    assert (fitted.path.suffix, copy.format, copy.mode) == (".png", "PNG", "RGBA")
    assert copy.getpixel((10, 50)) == (*BLUE, 255)
    assert copy.getpixel((90, 50))[3] == 0


def test_an_rgba_png_keeps_its_alpha(tmp_path: Path):
    source = _saved(Image.new("RGBA", (300, 300), (*RED, 128)), tmp_path / "a.png")
    copy = _opened(fit_for_print(source, tmp_path / "cache", 100, 100).path)
    assert (copy.format, copy.mode, copy.getpixel((50, 50))) == ("PNG", "RGBA", (*RED, 128))


def test_a_jpeg_stays_a_jpeg(tmp_path: Path):
    fitted = fit_for_print(_photo(tmp_path / "a.jpeg"), tmp_path / "cache", 150, 150)
    copy = _opened(fitted.path)
    assert (fitted.path.suffix, copy.format, copy.mode) == (".jpg", "JPEG", "RGB")


def test_a_cmyk_jpeg_becomes_an_rgb_jpeg(tmp_path: Path):
    source = _saved(Image.new("CMYK", (300, 200), (0, 255, 255, 0)), tmp_path / "a.jpg")
    copy = _opened(fit_for_print(source, tmp_path / "cache", 150, 150).path)
    assert (copy.format, copy.mode) == ("JPEG", "RGB")
    red, green, blue = copy.getpixel((75, 50))
    assert red > 240 and green < 15 and blue < 15


def test_an_srgb_profile_leaves_colours_alone_and_is_not_copied(tmp_path: Path):
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    image = Image.new("RGB", (300, 200), (10, 200, 30))
    source = _saved(image, tmp_path / "a.png", icc_profile=srgb)
    copy = _opened(fit_for_print(source, tmp_path / "cache", 150, 150).path)
    assert copy.getpixel((75, 50)) == (10, 200, 30)
    assert "icc_profile" not in copy.info


def test_16_bit_grey_is_scaled_to_8_bits_not_clipped(tmp_path: Path):
    source = _saved(Image.new("I;16", (300, 200), 40000), tmp_path / "a.png")
    copy = _opened(fit_for_print(source, tmp_path / "cache", 150, 150).path)
    assert (copy.mode, copy.getpixel((75, 50))) == ("L", 40000 // 256)


SVG_NS = 'xmlns="http://www.w3.org/2000/svg"'
HOSTILE_SVGS = {
    "prefixed script": b'<svg:svg xmlns:svg="http://www.w3.org/2000/svg">'
                       b"<svg:script>alert(1)</svg:script></svg:svg>",
    "UTF-16": ('<?xml version="1.0" encoding="UTF-16"?>'
               f"<svg {SVG_NS}><script>alert(1)</script></svg>").encode("utf-16"),
    "XHTML script": f'<svg {SVG_NS}><script xmlns="http://www.w3.org/1999/xhtml">x()</script>'
                    "</svg>".encode(),
    "handler": f'<svg {SVG_NS}><rect onclick="x()"/></svg>'.encode(),
    "foreignObject": f"<svg {SVG_NS}><foreignObject/></svg>".encode(),
    "remote CSS": f"<svg {SVG_NS}><style>rect{{fill:url(http://x/a)}}</style></svg>".encode(),
    "remote attribute": f'<svg {SVG_NS}><rect style="fill:url(https://x/a)"/></svg>'.encode(),
    "remote image": f'<svg {SVG_NS} xmlns:xlink="http://www.w3.org/1999/xlink">'
                    '<image xlink:href="http://x/a.png"/></svg>'.encode(),
    "not XML": b"<svg><rect></svg>",
}


@pytest.mark.parametrize("name", HOSTILE_SVGS)
def test_an_svg_is_read_as_xml_and_refused_unless_it_only_draws(name: str):
    from build_tools.notes_parser.paths import svg_problem
    assert svg_problem(HOSTILE_SVGS[name])


def test_a_drawing_from_a_drawing_program_is_kept():
    from build_tools.notes_parser.paths import svg_problem
    drawing = (f'<svg {SVG_NS} xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape" '
               'xmlns:sodipodi="http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd" '
               'inkscape:version="1.2"><sodipodi:namedview/><defs><linearGradient id="g">'
               '<stop offset="0"/></linearGradient></defs><rect style="fill:url(#g)"/>'
               '<text>图 1</text></svg>').encode()
    assert svg_problem(drawing) == ""
