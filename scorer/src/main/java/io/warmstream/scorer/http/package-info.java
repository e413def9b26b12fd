/** The HTTP API: scoring, model information and exports, JSON errors naming the field at fault. */
package io.warmstream.scorer.http;
