// yaml-oracle reads manifest streams exactly as kubectl does and prints the JSON objects the
// API server would receive: Palisade's differential tests compare their own reader against it.
//
// It mirrors kubectl's resource builder (k8s.io/cli-runtime/pkg/resource StreamVisitor): the
// stream goes through k8s.io/apimachinery/pkg/util/yaml's NewYAMLOrJSONDecoder (a JSON stream,
// or YAML split into documents on `---` lines and converted by sigs.k8s.io/yaml over
// go-yaml v2), each document lands in a RawExtension (whose UnmarshalJSON drops `null`),
// is trimmed, and empty documents are skipped. The RawExtension is mirrored by rawDocument
// below so the oracle does not pull in apimachinery's runtime package (and its build time).
//
// Protocol (so one process checks thousands of inputs): standard input holds records
// "<byte length>\n<bytes>"; for each, one line of JSON on standard output:
// {"docs":[<document>, …]} or {"error":"<message>"}.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
)

// rawDocument behaves as runtime.RawExtension does when decoded from JSON.
type rawDocument struct{ Raw []byte }

func (r *rawDocument) UnmarshalJSON(in []byte) error {
	if bytes.Equal(in, []byte("null")) {
		return nil
	}
	r.Raw = append(r.Raw[0:0], in...)
	return nil
}

type result struct {
	Docs  []json.RawMessage `json:"docs"`
	Error *string           `json:"error,omitempty"`
}

// decode splits and converts one stream as kubectl's StreamVisitor does (4096: kubectl's buffer).
func decode(in []byte) (docs []json.RawMessage, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	d := utilyaml.NewYAMLOrJSONDecoder(bytes.NewReader(in), 4096)
	docs = []json.RawMessage{}
	for {
		ext := rawDocument{}
		if err := d.Decode(&ext); err != nil {
			if err == io.EOF {
				return docs, nil
			}
			return nil, err
		}
		ext.Raw = bytes.TrimSpace(ext.Raw)
		if len(ext.Raw) == 0 || bytes.Equal(ext.Raw, []byte("null")) {
			continue
		}
		// Valid JSON is guaranteed for YAML input; a JSON stream passes its bytes through, and
		// kubectl would refuse anything json.Valid refuses when it decodes the object.
		if !json.Valid(ext.Raw) {
			return nil, fmt.Errorf("invalid JSON document")
		}
		docs = append(docs, json.RawMessage(ext.Raw))
	}
}

func main() {
	in := bufio.NewReaderSize(os.Stdin, 1<<20)
	out := bufio.NewWriterSize(os.Stdout, 1<<20)
	defer out.Flush()
	for {
		header, err := in.ReadString('\n')
		if err == io.EOF && header == "" {
			return
		}
		if err != nil {
			fmt.Fprintf(os.Stderr, "yaml-oracle: reading a record header: %v\n", err)
			os.Exit(2)
		}
		n, err := strconv.Atoi(strings.TrimSpace(header))
		if err != nil || n < 0 {
			fmt.Fprintf(os.Stderr, "yaml-oracle: bad record header %q\n", header)
			os.Exit(2)
		}
		body := make([]byte, n)
		if _, err := io.ReadFull(in, body); err != nil {
			fmt.Fprintf(os.Stderr, "yaml-oracle: reading a record: %v\n", err)
			os.Exit(2)
		}
		docs, derr := decode(body)
		var r result
		if derr != nil {
			msg := derr.Error()
			r.Error = &msg
		} else {
			r.Docs = docs
		}
		line, err := json.Marshal(r)
		if err != nil {
			msg := err.Error()
			line, _ = json.Marshal(result{Error: &msg})
		}
		out.Write(line)
		out.WriteByte('\n')
	}
}
