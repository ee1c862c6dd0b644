// Package info describes how the upstream random provider maps onto Pulumi.
package info

import (
	"context"
	_ "embed"
	"fmt"
	"strings"
	"unicode"

	pfbridge "github.com/pulumi/pulumi-terraform-bridge/v3/pkg/pf/tfbridge"
	"github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfbridge"
	shim "github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfshim"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	upstream "github.com/terraform-providers/terraform-provider-random/shim"
)

// Version is the plugin version `@pulumi/random` asks the engine for; set by ldflags.
var Version = "4.21.2"

// Written by the tfgen command, embedded so the provider can apply auto-aliases.
//
//go:embed bridge-metadata.json
var bridgeMetadata []byte

// pascal turns a Terraform type name such as random_password into RandomPassword.
func pascal(tfName string) string {
	var b strings.Builder
	for _, part := range strings.Split(tfName, "_") {
		if part != "" {
			b.WriteString(strings.ToUpper(part[:1]) + part[1:])
		}
	}
	return b.String()
}

// token follows @pulumi/random's scheme: random:index/<camelName>:<PascalName>.
func token(tfName string) string {
	name := pascal(tfName)
	camel := string(unicode.ToLower(rune(name[0]))) + name[1:]
	return "random:index/" + camel + ":" + name
}

// bytesID: random_bytes has no id attribute upstream, so its base64 value serves as one.
func bytesID(_ context.Context, state resource.PropertyMap) (resource.ID, error) {
	value, ok := state["base64"]
	if ok && value.IsSecret() {
		value = value.SecretValue().Element
	}
	if !ok || !value.IsString() {
		return "", fmt.Errorf("random_bytes: state has no base64 string to use as its id")
	}
	return resource.ID(value.StringValue()), nil
}

// Provider returns the bridge's description of the random provider.
func Provider() tfbridge.ProviderInfo {
	p := pfbridge.ShimProvider(upstream.NewProvider())
	prov := tfbridge.ProviderInfo{
		P:            p,
		Name:         "random",
		Version:      Version,
		Description:  "Random values for Pulumi programs, bridged from the Terraform random provider.",
		License:      "MPL-2.0",
		MetadataInfo: tfbridge.NewProviderMetadata(bridgeMetadata),
		Resources:    map[string]*tfbridge.ResourceInfo{},
	}
	p.ResourcesMap().Range(func(tfName string, _ shim.Resource) bool {
		prov.Resources[tfName] = &tfbridge.ResourceInfo{Tok: tokens.Type(token(tfName))}
		return true
	})
	if bytes, ok := prov.Resources["random_bytes"]; ok {
		bytes.ComputeID = bytesID
	}
	prov.MustApplyAutoAliases()
	return prov
}
