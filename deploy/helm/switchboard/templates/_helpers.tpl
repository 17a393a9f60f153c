{{/* The release's base name: 52 characters at most, so that "<name>-scheduler" is still a DNS label. */}}
{{- define "switchboard.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 52 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 52 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "switchboard.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{/* Selector labels of one role's pods: call with (dict "root" $ "role" "api"). */}}
{{- define "switchboard.selectorLabels" -}}
app.kubernetes.io/name: {{ .root.Chart.Name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .role }}
{{- end -}}

{{- define "switchboard.secretName" -}}
{{- if .Values.existingSecret -}}
{{- .Values.existingSecret -}}
{{- else -}}
{{- include "switchboard.fullname" . -}}
{{- end -}}
{{- end -}}

{{- define "switchboard.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "switchboard.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "switchboard.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}

{{/* Non-secret settings shared by every process (the ConfigMap's data; its checksum rolls the pods). */}}
{{- define "switchboard.config" -}}
NODE_ENV: production
PORT: "3000"
HOST: 0.0.0.0
DATA_DIR: /data
PUBLIC_URL: {{ required "publicUrl is required" .Values.publicUrl | quote }}
ADMIN_EMAIL: {{ .Values.adminEmail | quote }}
TRUST_PROXY: {{ .Values.trustProxy | quote }}
DATABASE_POOL_SIZE: {{ .Values.database.poolSize | quote }}
SHUTDOWN_TIMEOUT_MS: {{ mul (sub .Values.terminationGracePeriodSeconds 10) 1000 | quote }}
{{- range $name, $value := .Values.env }}
{{ $name }}: {{ $value | quote }}
{{- end }}
{{- end -}}

{{/* Secret settings (the Secret's stringData). */}}
{{- define "switchboard.secretData" -}}
SECRET_KEY: {{ required "secretKey is required (openssl rand -base64 32), or set existingSecret" .Values.secretKey | quote }}
DATABASE_URL: {{ required "database.url is required (the chart needs an external PostgreSQL), or set existingSecret" .Values.database.url | quote }}
{{- if .Values.redis.enabled }}
REDIS_URL: {{ printf "redis://%s-redis:6379" (include "switchboard.fullname" .) | quote }}
{{- else if .Values.redis.url }}
REDIS_URL: {{ .Values.redis.url | quote }}
{{- end }}
{{- if .Values.secretKeyPrevious }}
SECRET_KEY_PREVIOUS: {{ .Values.secretKeyPrevious | quote }}
{{- end }}
{{- if .Values.metricsToken }}
METRICS_TOKEN: {{ .Values.metricsToken | quote }}
{{- end }}
{{- if .Values.adminPassword }}
ADMIN_PASSWORD: {{ .Values.adminPassword | quote }}
{{- end }}
{{- end -}}
