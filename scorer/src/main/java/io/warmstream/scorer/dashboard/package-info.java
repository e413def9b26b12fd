/** The drift figures over HTTP ({@code GET /v1/drift}) and the dashboard page that draws them with the versions. */
package io.warmstream.scorer.dashboard;
