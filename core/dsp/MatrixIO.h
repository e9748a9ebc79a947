#pragma once
// Feature matrices on disk, two formats (both little-endian float32, row-major, rows = frames):
//   .npy  NumPy format v1.0, dtype '<f4', 2-D, C order (np.load reads it directly);
//   other ("raw f32"): 8-byte header = int32 rows, int32 cols, then rows*cols float32 values.
//         np.fromfile(p, '<i4', 2) gives the shape, np.fromfile(p, '<f4', offset=8) the data.
// Throws std::runtime_error on I/O or format errors.
#include <string>

#include "dsp/Matrix.h"

namespace stemscope {

void writeNpy(const std::string& path, const Matrix& m);
void writeRawF32(const std::string& path, const Matrix& m);
// Picks the format from the extension (.npy or anything else = raw f32).
void writeMatrix(const std::string& path, const Matrix& m);
// Reads either format (recognised by the NumPy magic). 1-D .npy arrays load as 1 x n.
Matrix readMatrix(const std::string& path);

}  // namespace stemscope
