package portalsim

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"regexp"
)

// encodeXML renders an answer for METHOD.xml (PROTOCOL §1.4): the same data
// as the JSON answer under <response>. Lists become <item> elements; keys
// that are not valid element names (numeric IDs) become <item key="…">.
func encodeXML(body any) []byte {
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	j, err := json.Marshal(body)
	if err != nil {
		buf.WriteString("<response><error>WRONG_ENCODING</error></response>")
		return buf.Bytes()
	}
	tree, err := decodeOrdered(j)
	if err != nil {
		buf.WriteString("<response><error>WRONG_ENCODING</error></response>")
		return buf.Bytes()
	}
	writeXML(&buf, "response", "", tree)
	return buf.Bytes()
}

var xmlName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_.-]*$`)

func writeXML(buf *bytes.Buffer, name, key string, v any) {
	buf.WriteByte('<')
	buf.WriteString(name)
	if key != "" {
		buf.WriteString(` key="`)
		_ = xml.EscapeText(buf, []byte(key))
		buf.WriteByte('"')
	}
	buf.WriteByte('>')
	switch t := v.(type) {
	case *obj:
		for _, k := range t.keys {
			if xmlName.MatchString(k) {
				writeXML(buf, k, "", t.vals[k])
			} else {
				writeXML(buf, "item", k, t.vals[k])
			}
		}
	case []any:
		for _, x := range t {
			writeXML(buf, "item", "", x)
		}
	case string:
		_ = xml.EscapeText(buf, []byte(t))
	case json.Number:
		buf.WriteString(t.String())
	case bool:
		if t {
			buf.WriteString("true")
		} else {
			buf.WriteString("false")
		}
	}
	buf.WriteString("</")
	buf.WriteString(name)
	buf.WriteByte('>')
}
