{{/*
Names are the deployment guide's contract: the Deployment, Service and ServiceAccount of a
service are named exactly after it (api-gateway, core-service, ...), its HPA "<service>-hpa".
*/}}

{{- define "tartware.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Selector labels of one service: immutable, so kept minimal. Call with (dict "root" $ "name" $name). */}}
{{- define "tartware.selectorLabels" -}}
app: {{ .name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
{{- end -}}

{{/* Every label of one service's objects and pods. */}}
{{- define "tartware.labels" -}}
{{ include "tartware.selectorLabels" . }}
app.kubernetes.io/name: {{ .name }}
app.kubernetes.io/part-of: {{ .root.Values.global.partOf }}
app.kubernetes.io/component: {{ ternary "gateway" "domain-service" (eq .name .root.Values.ingress.service) }}
app.kubernetes.io/version: {{ .root.Values.global.image.tag | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
helm.sh/chart: {{ include "tartware.chart" .root }}
{{- end -}}

{{/* In-cluster URL of a service. Call with (dict "root" $ "name" $name). */}}
{{- define "tartware.serviceUrl" -}}
{{- $svc := index .root.Values.services .name -}}
{{- printf "http://%s.%s.svc.cluster.local:%d" .name .root.Release.Namespace (int $svc.port) -}}
{{- end -}}
