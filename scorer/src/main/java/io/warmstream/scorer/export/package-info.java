/** Model directories as tar.gz or zip archives that Python {@code transformers} loads once unpacked. */
package io.warmstream.scorer.export;
