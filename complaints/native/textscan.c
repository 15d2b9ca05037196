/* Substring search over many texts laid end to end, for complaints/search.py.
 *
 * The texts are one byte buffer `data`; text i is data[offsets[i] .. offsets[i+1]). For the texts
 * first..last-1, hits[i] is set to 1 when the needle occurs inside text i (a match may not run into
 * the next text). The buffer is scanned with memchr for one byte of the needle (the caller picks the
 * rarest, `pivot`), and each candidate is compared in full; after a hit the scan jumps to the start
 * of the next text, so a common word costs one comparison per text, not one per occurrence.
 *
 * Plain C with no Python API: loaded through ctypes, which releases the GIL during the call, so two
 * threads can scan two halves at once. Returns the number of texts that matched.
 */
#include <stdint.h>
#include <string.h>

int64_t cw_find_texts(const char *data, const int64_t *offsets, int64_t first, int64_t last,
                      const char *needle, int64_t needle_len, int64_t pivot, uint8_t *hits)
{
    if (first >= last || needle_len <= 0 || pivot < 0 || pivot >= needle_len)
        return 0;
    const char *end = data + offsets[last];
    const char *p = data + offsets[first] + pivot;
    const char c = needle[pivot];
    int64_t row = first, count = 0;
    while (p < end) {
        const char *m = memchr(p, c, (size_t)(end - p));
        if (m == NULL)
            break;
        const char *start = m - pivot;
        int64_t at = start - data;
        if (start + needle_len > end || memcmp(start, needle, (size_t)needle_len) != 0) {
            p = m + 1;
            continue;
        }
        /* The text holding `at`: gallop forward from the current one (matches come in order). */
        while (offsets[row + 1] <= at) {
            int64_t step = 1;
            while (row + 2 * step < last && offsets[row + 2 * step + 1] <= at)
                step *= 2;
            row += step;
        }
        if (at + needle_len <= offsets[row + 1]) {
            hits[row] = 1;
            count++;
            row++;
            if (row >= last)
                break;
            p = data + offsets[row] + pivot;
        } else {
            p = m + 1;  /* the match runs into the next text */
        }
    }
    return count;
}
