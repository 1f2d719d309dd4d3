#!/bin/sh
# Regenerates azurerm.json: downloads @cdktf/provider-azurerm (the azurerm provider's schema as a
# jsii manifest) from the npm registry into a temporary directory and extracts the resource and
# data source types that terraform/ uses. Run after adding a resource type or moving the version.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
version=14.23.1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "@cdktf/provider-azurerm@$version" > /dev/null && tar -xzf "cdktf-provider-azurerm-$version.tgz" package/.jsii)
node "$here/extract.mjs" "$work/package/.jsii" "$here/.." > "$here/azurerm.json.new"
mv "$here/azurerm.json.new" "$here/azurerm.json"
echo "wrote $here/azurerm.json"
