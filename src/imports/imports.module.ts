import { Module } from '@nestjs/common';
import { ImportsController } from './imports.controller';
import { ImportUploads } from './import-uploads.service';

/**
 * How CSV imports run (spooled upload, rows checked then staged, one short committing transaction,
 * the per-row report): the machinery only. Each kind of import lives with the module that owns its
 * rows (institutions/, incidents/) and stages them there.
 */
@Module({
  controllers: [ImportsController],
  providers: [ImportUploads],
  exports: [ImportUploads],
})
export class ImportsModule {}
