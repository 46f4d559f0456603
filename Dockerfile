# Build a static klusterkarta binary, then ship it alone.
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o /out/klusterkarta ./cmd/klusterkarta

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/klusterkarta /klusterkarta
VOLUME ["/data"]
ENV KLUSTERKARTA_DATA=/data KLUSTERKARTA_ADDR=0.0.0.0:8080
EXPOSE 8080
ENTRYPOINT ["/klusterkarta"]
CMD ["serve", "--crawl"]
