using System.Globalization;
using System.Text;
using System.Xml;

namespace SafetyCheck.AuditPage;

/// <summary>
/// Writes an inline SVG picture for the page, escaped by <see cref="XmlWriter"/>: no style attributes (colours come
/// from the page's style sheet by class), a title and description for screen readers, and a tooltip per shape.
/// </summary>
internal sealed class SvgMarkup : IDisposable
{
    private readonly StringBuilder _text = new();
    private readonly XmlWriter _xml;

    /// <summary>Starts an <c>svg</c> element of <paramref name="width"/> × <paramref name="height"/> user units, labelled for assistive technology.</summary>
    public SvgMarkup(string id, double width, double height, string title, string description)
    {
        _xml = XmlWriter.Create(_text, new XmlWriterSettings { OmitXmlDeclaration = true, ConformanceLevel = ConformanceLevel.Fragment });
        // Inline in HTML an svg element needs no namespace declaration.
        _xml.WriteStartElement("svg");
        _xml.WriteAttributeString("id", id);
        _xml.WriteAttributeString("class", "chart");
        _xml.WriteAttributeString("viewBox", $"0 0 {N(width)} {N(height)}");

        // Drawn at its own size, narrower on a narrow screen, never enlarged (which would enlarge its text past its boxes).
        _xml.WriteAttributeString("width", N(width));
        _xml.WriteAttributeString("height", N(height));
        _xml.WriteAttributeString("role", "img");
        _xml.WriteAttributeString("aria-labelledby", $"{id}-title {id}-desc");
        Element("title", $"{id}-title", title);
        Element("desc", $"{id}-desc", description);
    }

    /// <summary>A rectangle with a CSS class and a tooltip.</summary>
    public void Rect(double x, double y, double width, double height, string cssClass, string? tooltip = null)
    {
        _xml.WriteStartElement("rect");
        _xml.WriteAttributeString("x", N(x));
        _xml.WriteAttributeString("y", N(y));
        _xml.WriteAttributeString("width", N(Math.Max(0, width)));
        _xml.WriteAttributeString("height", N(Math.Max(0, height)));
        _xml.WriteAttributeString("class", cssClass);
        if (tooltip is not null)
        {
            _xml.WriteElementString("title", tooltip);
        }

        _xml.WriteEndElement();
    }

    /// <summary>
    /// Declares textures (6 × 6 user-unit tiles of white marks, coloured by the class <c>texture-mark</c>) that
    /// <see cref="Textured"/> lays over a shape, so that shapes differ by more than their colour: <c>stripes</c>,
    /// <c>dots</c> or <c>cross</c>, each with its id.
    /// </summary>
    public void Textures(IEnumerable<(string Id, string Kind)> textures)
    {
        ArgumentNullException.ThrowIfNull(textures);
        _xml.WriteStartElement("defs");
        foreach (var (id, kind) in textures)
        {
            _xml.WriteStartElement("pattern");
            _xml.WriteAttributeString("id", id);
            _xml.WriteAttributeString("width", "6");
            _xml.WriteAttributeString("height", "6");
            _xml.WriteAttributeString("patternUnits", "userSpaceOnUse");
            if (kind == "dots")
            {
                _xml.WriteStartElement("circle");
                _xml.WriteAttributeString("cx", "3");
                _xml.WriteAttributeString("cy", "3");
                _xml.WriteAttributeString("r", "1.3");
            }
            else
            {
                _xml.WriteStartElement("path");
                _xml.WriteAttributeString("d", kind == "cross" ? "M0,0 L6,6 M6,0 L0,6" : "M-1,1 L1,-1 M0,6 L6,0 M5,7 L7,5");
            }

            _xml.WriteAttributeString("class", "texture-mark");
            _xml.WriteEndElement();
            _xml.WriteEndElement();
        }

        _xml.WriteEndElement();
    }

    /// <summary>
    /// A rectangle filled with the texture <paramref name="textureId"/> (a presentation attribute, not a style), laid
    /// over a shape drawn before it; it lets the pointer through to that shape and its tooltip.
    /// </summary>
    public void Textured(double x, double y, double width, double height, string textureId)
    {
        _xml.WriteStartElement("rect");
        _xml.WriteAttributeString("x", N(x));
        _xml.WriteAttributeString("y", N(y));
        _xml.WriteAttributeString("width", N(Math.Max(0, width)));
        _xml.WriteAttributeString("height", N(Math.Max(0, height)));
        _xml.WriteAttributeString("class", "texture");
        _xml.WriteAttributeString("fill", $"url(#{textureId})");
        _xml.WriteEndElement();
    }

    /// <summary>Text at (<paramref name="x"/>, <paramref name="y"/>); <paramref name="anchor"/> is <c>start</c>, <c>middle</c> or <c>end</c>.</summary>
    public void Text(double x, double y, string text, string cssClass, string anchor = "start")
    {
        _xml.WriteStartElement("text");
        _xml.WriteAttributeString("x", N(x));
        _xml.WriteAttributeString("y", N(y));
        _xml.WriteAttributeString("class", cssClass);
        _xml.WriteAttributeString("text-anchor", anchor);
        _xml.WriteString(text);
        _xml.WriteEndElement();
    }

    public void Line(double x1, double y1, double x2, double y2, string cssClass)
    {
        _xml.WriteStartElement("line");
        _xml.WriteAttributeString("x1", N(x1));
        _xml.WriteAttributeString("y1", N(y1));
        _xml.WriteAttributeString("x2", N(x2));
        _xml.WriteAttributeString("y2", N(y2));
        _xml.WriteAttributeString("class", cssClass);
        _xml.WriteEndElement();
    }

    /// <summary>Closes the picture and returns its markup.</summary>
    public string Finish()
    {
        _xml.WriteEndElement();
        _xml.Flush();
        return _text.ToString();
    }

    public void Dispose() => _xml.Dispose();

    private static string N(double value) => Math.Round(value, 2).ToString(CultureInfo.InvariantCulture);

    private void Element(string name, string id, string text)
    {
        _xml.WriteStartElement(name);
        _xml.WriteAttributeString("id", id);
        _xml.WriteString(text);
        _xml.WriteEndElement();
    }
}
