/*
 * Reference C kernel for bench/kernels/geometry.bench.mjs: one frame's pair histogram with a
 * cell list, the same algorithm as solvscope's NeighborGrid + rdf accumulate (orthorhombic
 * box; cells ≥ cutoff/2 thick; per query the rows of cells that can hold a hit, each row a
 * contiguous run of cells with one periodic shift; d² < rc², bin = ⌊d / width⌋).
 *
 *   gcc -O3 -march=native -o cell-rdf cell-rdf.c -lm
 *   ./cell-rdf frame.bin REPEATS
 *
 * frame.bin (little-endian): int32 n, int32 nref, int32 nsel, int32 bins, float64 rc,
 * float64 box[3], float32 xyz[3n], int32 ref[nref], int32 sel[nsel].
 * Prints: ms per frame (best of REPEATS, grid build included), pairs, and a checksum of the
 * histogram (Σ k·count_k) so the JS bench can check both computed the same thing.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

int main(int argc, char **argv) {
  if (argc < 3) { fprintf(stderr, "usage: %s frame.bin repeats\n", argv[0]); return 2; }
  FILE *f = fopen(argv[1], "rb");
  if (!f) { perror(argv[1]); return 1; }
  int32_t n, nref, nsel, bins;
  double rc, L[3];
  if (fread(&n, 4, 1, f) != 1 || fread(&nref, 4, 1, f) != 1 || fread(&nsel, 4, 1, f) != 1 || fread(&bins, 4, 1, f) != 1 ||
      fread(&rc, 8, 1, f) != 1 || fread(L, 8, 3, f) != 3) { fprintf(stderr, "short header\n"); return 1; }
  float *xyz = malloc(sizeof(float) * 3 * n);
  int32_t *ref = malloc(4 * nref), *sel = malloc(4 * nsel);
  if (fread(xyz, 4, 3 * n, f) != (size_t)(3 * n) || fread(ref, 4, nref, f) != (size_t)nref || fread(sel, 4, nsel, f) != (size_t)nsel) {
    fprintf(stderr, "short body\n"); return 1;
  }
  fclose(f);
  int repeats = atoi(argv[2]);
  int nc[3];
  for (int d = 0; d < 3; d++) { nc[d] = (int)floor(L[d] / (rc / 2) * (1 - 1e-9)); if (nc[d] < 1) nc[d] = 1; }
  int ncell = nc[0] * nc[1] * nc[2];
  int *start = malloc(sizeof(int) * (ncell + 1)), *cursor = malloc(sizeof(int) * ncell), *cellOf = malloc(sizeof(int) * nsel);
  double *sx = malloc(sizeof(double) * 3 * nsel), *w = malloc(sizeof(double) * 3 * nsel);
  double *counts = malloc(sizeof(double) * bins);
  double width = rc / bins, rc2 = rc * rc, best = 1e300;
  long pairs = 0;
  double checksum = 0;
  for (int rep = 0; rep < repeats; rep++) {
    double t0 = now_ms();
    memset(counts, 0, sizeof(double) * bins);
    memset(start, 0, sizeof(int) * (ncell + 1));
    for (int k = 0; k < nsel; k++) {
      int a = sel[k], c[3];
      for (int d = 0; d < 3; d++) {
        double x = xyz[3 * a + d], s = x / L[d], fl = floor(s);
        s -= fl;
        x -= fl * L[d];
        c[d] = (int)(s * nc[d]);
        if (c[d] >= nc[d]) c[d] = nc[d] - 1;
        w[3 * k + d] = x;
      }
      int ci = (c[2] * nc[1] + c[1]) * nc[0] + c[0];
      cellOf[k] = ci;
      start[ci + 1]++;
    }
    for (int c = 0; c < ncell; c++) start[c + 1] += start[c];
    memcpy(cursor, start, sizeof(int) * ncell);
    for (int k = 0; k < nsel; k++) {
      int slot = cursor[cellOf[k]]++;
      sx[3 * slot] = w[3 * k]; sx[3 * slot + 1] = w[3 * k + 1]; sx[3 * slot + 2] = w[3 * k + 2];
    }
    pairs = 0;
    for (int p = 0; p < nref; p++) {
      int i = ref[p];
      double q[3], s[3];
      for (int d = 0; d < 3; d++) { q[d] = xyz[3 * i + d]; s[d] = floor(q[d] / L[d]); q[d] -= s[d] * L[d]; s[d] = q[d] / L[d]; }
      int lo[3], hi[3];
      for (int d = 0; d < 3; d++) { lo[d] = (int)floor((s[d] - rc / L[d]) * nc[d]); hi[d] = (int)floor((s[d] + rc / L[d]) * nc[d]); }
      for (int kz = lo[2]; kz <= hi[2]; kz++) {
        double z0 = (double)kz / nc[2] * L[2], z1 = (double)(kz + 1) / nc[2] * L[2];
        double dz = q[2] < z0 ? z0 - q[2] : q[2] > z1 ? q[2] - z1 : 0;
        if (dz * dz > rc2) continue;
        int tz = (int)floor((double)kz / nc[2]), icz = kz - tz * nc[2];
        for (int ky = lo[1]; ky <= hi[1]; ky++) {
          double y0 = (double)ky / nc[1] * L[1], y1 = (double)(ky + 1) / nc[1] * L[1];
          double dy = q[1] < y0 ? y0 - q[1] : q[1] > y1 ? q[1] - y1 : 0;
          double dyz2 = dy * dy + dz * dz;
          if (dyz2 > rc2) continue;
          int ty = (int)floor((double)ky / nc[1]), icy = ky - ty * nc[1];
          double ex = sqrt(rc2 - dyz2);
          int kx0 = (int)floor((q[0] - ex) / L[0] * nc[0]), kx1 = (int)floor((q[0] + ex) / L[0] * nc[0]);
          if (kx0 < lo[0]) kx0 = lo[0];
          if (kx1 > hi[0]) kx1 = hi[0];
          int row = (icz * nc[1] + icy) * nc[0];
          int kx = kx0;
          while (kx <= kx1) {
            int tx = (int)floor((double)kx / nc[0]);
            int end = (tx + 1) * nc[0] - 1;
            if (end > kx1) end = kx1;
            int c0 = row + kx - tx * nc[0], c1 = row + end - tx * nc[0];
            double qx = q[0] - tx * L[0], qy = q[1] - ty * L[1], qz = q[2] - tz * L[2];
            for (int j = start[c0]; j < start[c1 + 1]; j++) {
              double ddx = sx[3 * j] - qx, ddy = sx[3 * j + 1] - qy, ddz = sx[3 * j + 2] - qz;
              double d2 = ddx * ddx + ddy * ddy + ddz * ddz;
              if (d2 < rc2 && d2 > 0) {
                int b = (int)(sqrt(d2) / width);
                if (b >= bins) b = bins - 1;
                counts[b]++;
                pairs++;
              }
            }
            kx = end + 1;
          }
        }
      }
    }
    double t = now_ms() - t0;
    if (t < best) best = t;
  }
  checksum = 0;
  for (int k = 0; k < bins; k++) checksum += k * counts[k];
  printf("%.4f %ld %.0f\n", best, pairs, checksum);
  return 0;
}
