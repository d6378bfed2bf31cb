process.env.FW_TEST_DB = 'sqlite';
process.env.NODE_ENV = 'test';
process.env.SCHEDULER_ENABLED = 'false';
