// {{name}}: built with TinyGo for wasip1 (the Wasm image) and with Go as a static binary (its
// native twin), from the same source.
package main

import "fmt"

func main() {
	fmt.Println("Hello from {{name}}!")
}
