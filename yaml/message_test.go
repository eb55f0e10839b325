package yaml

import (
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/saydo/saydo"
)

func TestParseMessage(t *testing.T) {
	tests := []struct {
		name, path, src string
		want            saydo.Message
	}{
		{"front matter", "messages/collections/overdue.txt",
			"---\nid: overdue\nchannel: sms\ndepartment: collections\nstage: billing\nlang: ro\ntrigger: Unpaid\nvariables: [date, amount]\n---\nLa {{date}} suma este {{amount}} RON.\n",
			saydo.Message{ID: "overdue", Path: "messages/collections/overdue.txt", Channel: "sms", Department: "collections",
				Stage: "billing", Lang: "ro", Trigger: "Unpaid", Variables: []string{"date", "amount"},
				Body: "La {{date}} suma este {{amount}} RON.", BodyLine: 10}},
		{"plain text", "messages/welcome.txt", "Hello {{name}}, welcome to Nordtel.\n",
			saydo.Message{ID: "welcome", Path: "messages/welcome.txt", Channel: "email", Body: "Hello {{name}}, welcome to Nordtel.", BodyLine: 1}},
		{"blank lines after front matter", "m/x.md", "---\nid: x\n---\n\n\nHi.\n\n",
			saydo.Message{ID: "x", Path: "m/x.md", Channel: "email", Body: "Hi.", BodyLine: 6}},
		{"CRLF", "m/y.txt", "---\r\nid: y\r\nchannel: push\r\n---\r\nHi there.\r\n",
			saydo.Message{ID: "y", Path: "m/y.txt", Channel: "push", Body: "Hi there.", BodyLine: 5}},
		{"BOM, empty front matter", "m/z.txt", "\ufeff---\n---\nHi.",
			saydo.Message{ID: "z", Path: "m/z.txt", Channel: "email", Body: "Hi.", BodyLine: 3}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseMessage(tt.path, []byte(tt.src))
			if err != nil {
				t.Fatalf("ParseMessage: %v", err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestParseMessageErrors(t *testing.T) {
	tests := []struct{ name, src, want string }{
		{"unclosed", "---\nid: x\nHello", "m.txt:1:1: front matter is not closed"},
		{"unknown key", "---\nid: x\nchanel: sms\n---\nHi", `m.txt:3:1: unknown key "chanel" in front matter (did you mean "channel"?)`},
		{"bad channel", "---\nchannel: fax\n---\nHi", `m.txt:2:10: channel: unknown channel "fax"`},
		{"bad stage", "---\nstage: biling\n---\nHi", `m.txt:2:8: stage: unknown stage "biling" (did you mean "billing"?)`},
		{"bad lang", "---\nlang: romanian\n---\nHi", `m.txt:2:7: lang: "romanian" is not an ISO 639-1 code`},
		{"unknown lang", "---\nlang: zz\n---\nHi", `m.txt:2:7: lang: "zz" is not an ISO 639-1 code`},
		{"bad variable", "---\nvariables: [ok, 'no good']\n---\nHi", `m.txt:2:17: variables: "no good" is not a variable name`},
		{"no body", "---\nid: x\n---\n\n", "m.txt:5:1: message x has no body"},
		{"bad id", "---\nid: 'a b'\n---\nHi", `m.txt:2:5: id: want letters`},
		{"invalid utf-8", "Hi\n\xff\n", "m.txt:2:1: invalid UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseMessage("m.txt", []byte(tt.src))
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("got %v, want %s", err, tt.want)
			}
		})
	}
}

func TestLoadMessages(t *testing.T) {
	ms, err := LoadMessages("testdata/messages")
	if err != nil {
		t.Fatalf("LoadMessages: %v", err)
	}
	var got []string
	for _, m := range ms {
		got = append(got, m.ID+"/"+m.Department+"/"+m.Channel)
	}
	want := []string{"callback/care/email", "overdue-balance-sms/collections/sms"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
	if _, err := LoadMessages("testdata/none"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("LoadMessages(missing) = %v, want fs.ErrNotExist", err)
	}
}

func TestReadMessagesCSV(t *testing.T) {
	f, err := os.Open("testdata/messages/export.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ms, rejected, err := ReadMessagesCSV(f, "export.csv")
	if err != nil {
		t.Fatalf("ReadMessagesCSV: %v", err)
	}
	var ids []string
	for _, m := range ms {
		ids = append(ids, m.ID)
	}
	if want := []string{"reminder-en", "reminder-ro", "multi"}; !reflect.DeepEqual(ids, want) {
		t.Errorf("got ids %v, want %v", ids, want)
	}
	if ms[2].Body != "Hello {{name}},\n\nThank you." || ms[2].BodyLine != 6 {
		t.Errorf("multi-line body: got %q at line %d, want it whole at line 6", ms[2].Body, ms[2].BodyLine)
	}
	var rej []string
	for _, e := range rejected {
		rej = append(rej, e.Error())
	}
	want := []string{
		"export.csv:4:1: missing id",
		`export.csv:5:13: unknown channel "fax" (want one of sms, email, letter, push, chat, voice, social)`,
		"export.csv:9:1: 3 columns where the header has 8",
		`export.csv:10:1: duplicate id "reminder-en" (first on line 2)`,
	}
	if !reflect.DeepEqual(rej, want) {
		t.Errorf("rejected:\ngot  %q\nwant %q", rej, want)
	}
	for _, bad := range []string{"", "body\nx\n", "id,text\n"} {
		if _, _, err := ReadMessagesCSV(strings.NewReader(bad), "e.csv"); err == nil {
			t.Errorf("ReadMessagesCSV(%q): got no error, want one about the header", bad)
		}
	}
}

func FuzzParseMessage(f *testing.F) {
	f.Add([]byte("---\nid: x\nchannel: sms\nvariables: [a]\n---\nHi {{a}}.\n"))
	f.Add([]byte("Plain text message\n"))
	f.Add([]byte("---\n---\n"))
	f.Add([]byte("---\nid: [\n---\nx"))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := ParseMessage("f.txt", data)
		if err != nil {
			var list saydo.ErrorList
			if !errors.As(err, &list) || len(list) == 0 {
				t.Fatalf("got %v, want an ErrorList", err)
			}
			return
		}
		if m.BodyLine < 1 || m.ID == "" || strings.TrimSpace(m.Body) == "" {
			t.Fatalf("got %+v: want an id, a body and its line", m)
		}
		if n := strings.Count(string(data), "\n") + 1; m.BodyLine > n {
			t.Fatalf("BodyLine %d past the end of a %d-line file", m.BodyLine, n)
		}
	})
}

// TestReadMessagesCSVOpenQuote is issue 13 item 6: an open quote in the
// first row panicked (FieldPos on a failed read).
func TestReadMessagesCSVOpenQuote(t *testing.T) {
	ms, rejected, err := ReadMessagesCSV(strings.NewReader("id,BodY\n\"0"), "m.csv")
	if err != nil || len(ms) != 0 || len(rejected) != 1 || !strings.HasPrefix(rejected[0].Error(), "m.csv:2:") {
		t.Errorf("got %d messages, rejected %v, err %v; want one rejection at m.csv:2", len(ms), rejected, err)
	}
}

func FuzzReadMessagesCSV(f *testing.F) {
	f.Add([]byte("id,body\na,Hello\n"))
	f.Add([]byte("id,channel,body\na,sms,\"multi\nline\"\nb,fax,x\n"))
	f.Add([]byte("id,BodY\n\"0")) // issue 13 item 6: panicked in FieldPos
	f.Fuzz(func(t *testing.T, data []byte) {
		ms, rejected, err := ReadMessagesCSV(strings.NewReader(string(data)), "f.csv")
		if err != nil {
			return
		}
		for _, m := range ms {
			if m.ID == "" || m.Body == "" {
				t.Fatalf("accepted a message without id or body: %+v", m)
			}
		}
		for _, e := range rejected {
			var pe *saydo.PosError
			if !errors.As(e, &pe) || pe.Line < 1 {
				t.Fatalf("rejection without a line: %v", e)
			}
		}
	})
}
