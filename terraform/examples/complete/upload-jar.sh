#!/bin/sh
# Uploads the meshctl jar into the private container, as whoever runs terraform (Azure CLI login).
# Called by terraform_data.meshctl_upload with ASSIGNEE, CONTAINER_ID, ACCOUNT, CONTAINER, BLOB and
# FILE in the environment.
#
# The deployer holds Storage Blob Data Contributor on the container only while this runs: the
# role is created here and deleted on exit, success or not. A new role assignment can take up to
# 10 minutes to take effect, so the upload is retried for up to 15 minutes instead of failing the
# first apply with 403 AuthorizationPermissionMismatch.
set -eu
: "${ASSIGNEE:?}" "${CONTAINER_ID:?}" "${ACCOUNT:?}" "${CONTAINER:?}" "${BLOB:?}" "${FILE:?}"
ROLE='Storage Blob Data Contributor'
ATTEMPTS="${AZMESH_UPLOAD_ATTEMPTS:-90}"
PAUSE="${AZMESH_UPLOAD_PAUSE_SECONDS:-10}"

remove_role() {
  az role assignment delete --assignee "$ASSIGNEE" --role "$ROLE" --scope "$CONTAINER_ID" --only-show-errors ||
    echo "upload-jar: could not remove '$ROLE' from $ASSIGNEE on $CONTAINER_ID; remove it with: az role assignment delete --assignee $ASSIGNEE --role '$ROLE' --scope $CONTAINER_ID" >&2
}

az role assignment create --assignee-object-id "$ASSIGNEE" --role "$ROLE" --scope "$CONTAINER_ID" --only-show-errors --output none
trap remove_role EXIT

attempt=1
until az storage blob upload --auth-mode login --account-name "$ACCOUNT" --container-name "$CONTAINER" \
  --name "$BLOB" --file "$FILE" --content-type application/java-archive --overwrite true \
  --only-show-errors --output none; do
  if [ "$attempt" -ge "$ATTEMPTS" ]; then
    echo "upload-jar: $BLOB not uploaded after $attempt attempts; the role may still be propagating, run terraform apply again" >&2
    exit 1
  fi
  echo "upload-jar: attempt $attempt failed (a new role can take up to 10 minutes to apply); retrying in ${PAUSE}s" >&2
  attempt=$((attempt + 1))
  sleep "$PAUSE"
done
echo "upload-jar: uploaded $BLOB to $ACCOUNT/$CONTAINER"
