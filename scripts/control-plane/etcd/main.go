// Command etcd is etcd v3.6 built from the published go.etcd.io/etcd/server/v3
// module for Palisade's local control plane (test/cluster). It is exactly
// upstream's server/main.go.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() {
	etcdmain.Main(os.Args)
}
